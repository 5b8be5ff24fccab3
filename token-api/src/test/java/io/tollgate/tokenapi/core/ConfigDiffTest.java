package io.tollgate.tokenapi.core;

import io.tollgate.shared.declarative.DeclarativeConfig;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ApiRecord;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.tokenapi.api.ConfigChange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigDiffTest {
    private static final ApiRecord MOBILE = new ApiRecord("mobile", "/mobile/", List.of("http://127.0.0.1:9000"),
            Map.of("GET", "read", "*", "write"), "mobile-users", false, false);
    private static final ApiRecord ORDERS = new ApiRecord("orders", "/orders/", List.of("http://127.0.0.1:9200"),
            Map.of("*", "orders"), null, true, false);
    private static final PlanRecord ORDERS_PLAN = new PlanRecord("orders-basic", "orders", "Orders", Set.of("orders"),
            10, 0, 0, 0, true, Set.of("client_credentials"));

    @Test
    void theSameStateIsNoChange() {
        DeclarativeConfig state = DeclarativeConfig.of(List.of(MOBILE), List.of(DemoRegistry.BASIC, DemoRegistry.PREMIUM));

        assertThat(ConfigDiff.between(state, DeclarativeConfig.of(List.of(MOBILE),
                List.of(DemoRegistry.PREMIUM, DemoRegistry.BASIC)))).isEmpty();
    }

    @Test
    void createsAndUpdatesComeBeforeDeletesPlansOfNewApisAfterTheirApiAndApisDeletedLast() {
        DeclarativeConfig current = DeclarativeConfig.of(List.of(MOBILE, ORDERS),
                List.of(DemoRegistry.BASIC, DemoRegistry.PREMIUM, ORDERS_PLAN));
        ApiRecord web = new ApiRecord("web", "/web/", List.of("https://web.example.test"), Map.of("*", "read"), null,
                false, false);
        PlanRecord webPlan = new PlanRecord("web-free", "web", "Web", Set.of("read"), 5, 0, 0, 0, false,
                Set.of("password"));
        PlanRecord cheaperBasic = new PlanRecord("basic", "mobile", "Basic", Set.of("read"), 30, 0, 0, 3, false,
                DemoRegistry.GRANT_TYPES);
        DeclarativeConfig desired = DeclarativeConfig.of(List.of(MOBILE, web),
                List.of(cheaperBasic, DemoRegistry.PREMIUM, webPlan));

        List<ConfigChange> changes = ConfigDiff.between(current, desired);

        assertThat(changes).extracting(c -> c.kind() + " " + c.name() + " " + c.change()).containsExactly(
                "api web created", "plan basic updated", "plan web-free created", "plan orders-basic deleted",
                "api orders deleted");
        ConfigChange basic = changes.get(1);
        assertThat(basic.before()).isEqualTo(DeclarativeConfig.planJson(DemoRegistry.BASIC));
        assertThat(basic.after()).isEqualTo(DeclarativeConfig.planJson(cheaperBasic));
        assertThat(changes.get(0).before()).isNull();
        assertThat(changes.get(4).after()).isNull();
        assertThat(changes.get(4).before().path("pathPrefix").asText()).isEqualTo("/orders/");
    }

    @Test
    void anyFieldOfAnApiIsAnUpdate() {
        ApiRecord moved = new ApiRecord("mobile", "/mobile/", List.of("http://127.0.0.1:9001"),
                Map.of("GET", "read", "*", "write"), "mobile-users", false, false);

        assertThat(ConfigDiff.between(DeclarativeConfig.of(List.of(MOBILE), List.of()),
                DeclarativeConfig.of(List.of(moved), List.of())))
                .extracting(ConfigChange::change).containsExactly(ConfigChange.UPDATED);
    }
}
