package io.tollgate.tokenapi.core;

import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.tokenapi.config.ApiEntitlement;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EntitlementsTest {
    private static final Entitlements.Usable MOBILE = new Entitlements.Usable(DemoRegistry.SUBSCRIPTION,
            DemoRegistry.PREMIUM);

    private static ApiEntitlement rule(String group, Map<String, Set<String>> scopes) {
        ApiEntitlement rule = new ApiEntitlement();
        rule.setRequiredGroup(group);
        rule.setScopesByGroup(scopes);
        return rule;
    }

    @Test
    void aRequiredGroupDeniesNonMembers() {
        Entitlements e = new Entitlements(Map.of("mobile", rule("mobile-users", Map.of())));
        assertThat(e.evaluate(List.of(MOBILE), Set.of("staff"))).isNull();
        var alice = e.evaluate(List.of(MOBILE), Set.of("mobile-users"));
        assertThat(alice.audience()).containsExactly("mobile");
        assertThat(alice.scopes()).containsExactly("read", "write");
        assertThat(alice.primary().subscriptionId()).isEqualTo(DemoRegistry.SUBSCRIPTION_ID);
    }

    @Test
    void groupScopesNarrowThePlan() {
        Entitlements e = new Entitlements(Map.of("mobile", rule("mobile-users",
                Map.of("writers", Set.of("write", "admin")))));
        assertThat(e.evaluate(List.of(MOBILE), Set.of("mobile-users")).scopes()).isEmpty();
        assertThat(e.evaluate(List.of(MOBILE), Set.of("mobile-users", "writers")).scopes()).containsExactly("write");
    }

    @Test
    void audienceCoversEveryEntitledApi() {
        PlanRecord other = new PlanRecord("maps-basic", "maps", "Maps", Set.of("maps:read"), 0, 0, 0, 1, false,
                Set.of("password"));
        SubscriptionRecord maps = new SubscriptionRecord("sub-maps", DemoRegistry.APPLICATION_ID,
                DemoRegistry.CLIENT_ID, "maps", "maps-basic", SubscriptionRecord.Status.APPROVED, Instant.now());
        Entitlements e = new Entitlements(Map.of("mobile", rule("mobile-users", Map.of())));
        var both = e.evaluate(List.of(MOBILE, new Entitlements.Usable(maps, other)), Set.of("mobile-users"));
        assertThat(both.audience()).containsExactly("maps", "mobile");
        assertThat(both.scopes()).containsExactly("maps:read", "read", "write");
        var mapsOnly = e.evaluate(List.of(MOBILE, new Entitlements.Usable(maps, other)), Set.of());
        assertThat(mapsOnly.audience()).containsExactly("maps");
        // without groups to check (an IdP that cannot look users up), the plans decide
        assertThat(e.evaluate(List.of(MOBILE), null).audience()).containsExactly("mobile");
    }
}
