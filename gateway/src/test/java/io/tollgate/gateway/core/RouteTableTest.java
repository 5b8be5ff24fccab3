package io.tollgate.gateway.core;

import io.dropwizard.util.Duration;
import io.tollgate.gateway.config.RouteConfig;
import io.tollgate.gateway.config.RouteDefaults;
import io.tollgate.shared.events.ApiRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The live route table: the registry's APIs beside the static routes, rebuilt when the APIs change. */
class RouteTableTest {
    private static final Map<String, String> READ_WRITE = Map.of("GET", "read", "HEAD", "read", "*", "write");

    private static RouteConfig staticRoute(String api, String prefix, String upstream) {
        RouteConfig config = new RouteConfig();
        config.api = api;
        config.pathPrefix = prefix;
        config.upstreams = List.of(URI.create(upstream));
        config.scopes = READ_WRITE;
        return config;
    }

    private static ApiRecord api(String name, String prefix, String... upstreams) {
        return new ApiRecord(name, prefix, List.of(upstreams), Map.of("get", "read", "*", "write"), null, false, false);
    }

    private static RouteDefaults defaults() {
        RouteDefaults defaults = new RouteDefaults();
        defaults.connectTimeout = Duration.milliseconds(700);
        defaults.readTimeout = Duration.seconds(9);
        defaults.identityHeaderFamilies = List.of("X-Tenant");
        return defaults;
    }

    @Test
    void withoutRegistryApisTheStaticRoutesServe() {
        RouteTable table = new RouteTable(List.of(staticRoute("mobile", "/mobile/", "http://127.0.0.1:9000")),
                defaults());
        assertThat(table.current().match("/mobile/x").api()).isEqualTo("mobile");
        assertThat(table.current().match("/orders/x")).isNull();
        assertThat(table.update(List.of()).match("/mobile/x").api()).isEqualTo("mobile");
    }

    @Test
    void anApiAddedToTheRegistryIsRoutedWithTheGatewayWideConnectionSettings() {
        RouteTable table = new RouteTable(List.of(), defaults());
        assertThat(table.current().match("/orders/1")).isNull();

        table.update(List.of(api("orders", "/orders/", "http://10.0.0.1:8080", "https://orders.internal")));

        Route orders = table.current().match("/orders/1");
        assertThat(orders.api()).isEqualTo("orders");
        assertThat(table.current().match("/orders")).isSameAs(orders);
        assertThat(orders.config().upstreams).containsExactly(URI.create("http://10.0.0.1:8080"),
                URI.create("https://orders.internal"));
        assertThat(orders.scopeFor("GET")).isEqualTo("read"); // methods upper-cased
        assertThat(orders.scopeFor("DELETE")).isEqualTo("write");
        assertThat(orders.config().connectTimeout).isEqualTo(Duration.milliseconds(700));
        assertThat(orders.config().readTimeout).isEqualTo(Duration.seconds(9));
        assertThat(orders.identityHeaders().contains("x-tenant")).isTrue();
        assertThat(RouteTable.upstreams(table.current())).containsExactly(URI.create("http://10.0.0.1:8080"),
                URI.create("https://orders.internal"));
    }

    @Test
    void aChangedApiIsRebuiltAnUnchangedOneKeptAndARemovedOneGone() {
        RouteTable table = new RouteTable(List.of(), defaults());
        ApiRecord orders = api("orders", "/orders/", "http://10.0.0.1:8080");
        ApiRecord billing = api("billing", "/billing/", "http://10.0.0.2:8080");
        table.update(List.of(orders, billing));
        Route ordersRoute = table.current().match("/orders/1");
        Route billingRoute = table.current().match("/billing/1");

        ApiRecord moved = api("orders", "/v2/orders/", "http://10.0.0.3:8080");
        table.update(List.of(moved, billing));
        assertThat(table.current().match("/orders/1")).isNull();
        Route movedRoute = table.current().match("/v2/orders/1");
        assertThat(movedRoute).isNotSameAs(ordersRoute);
        assertThat(movedRoute.config().upstreams).containsExactly(URI.create("http://10.0.0.3:8080"));
        assertThat(table.current().match("/billing/1")).isSameAs(billingRoute); // same record: same route
        assertThat(RouteTable.upstreams(table.current())).containsExactlyInAnyOrder(
                URI.create("http://10.0.0.3:8080"), URI.create("http://10.0.0.2:8080"));

        table.update(List.of(billing));
        assertThat(table.current().match("/v2/orders/1")).isNull();
        assertThat(RouteTable.upstreams(table.current())).containsExactly(URI.create("http://10.0.0.2:8080"));
    }

    @Test
    void theRegistryWinsOverEveryStaticRouteOfTheSameNameAndTheStaticOnesReturnWhenItGoes() {
        RouteTable table = new RouteTable(List.of(staticRoute("mobile", "/mobile/", "http://127.0.0.1:9000"),
                staticRoute("mobile", "/mobile-fwd/", "http://127.0.0.1:9000"),
                staticRoute("orders", "/orders/", "http://127.0.0.1:9001")), defaults());

        table.update(List.of(api("mobile", "/m/", "http://10.0.0.9:80")));
        assertThat(table.current().match("/mobile/x")).isNull();
        assertThat(table.current().match("/mobile-fwd/x")).isNull();
        assertThat(table.current().match("/m/x").config().upstreams)
                .containsExactly(URI.create("http://10.0.0.9:80"));
        assertThat(table.current().match("/orders/x").api()).isEqualTo("orders"); // other names untouched

        table.update(List.of());
        assertThat(table.current().match("/m/x")).isNull();
        assertThat(table.current().match("/mobile/x").api()).isEqualTo("mobile");
        assertThat(table.current().match("/mobile-fwd/x").api()).isEqualTo("mobile");
    }

    @Test
    void anApiOnAStaticRoutesPrefixTakesItAndTheLongestPrefixStillWins() {
        RouteTable table = new RouteTable(List.of(staticRoute("legacy", "/shop/", "http://127.0.0.1:9000")),
                defaults());
        table.update(List.of(api("shop", "/shop/", "http://10.0.0.1:80"),
                api("shop-admin", "/shop/admin/", "http://10.0.0.2:80")));
        assertThat(table.current().match("/shop/cart").api()).isEqualTo("shop");
        assertThat(table.current().match("/shop/admin/users").api()).isEqualTo("shop-admin");
    }

    @Test
    void anApiWhoseUpstreamTheGatewayCannotHonourIsNotRoutedAndTheOthersAre() {
        RouteTable table = new RouteTable(List.of(), defaults());
        table.update(List.of(api("ftp", "/ftp/", "ftp://files.internal"),
                api("creds", "/creds/", "https://user:pass@api.internal"),
                api("broken", "/broken/", "http://bad host"),
                api("orders", "/orders/", "http://10.0.0.1:8080")));
        assertThat(table.current().match("/ftp/x")).isNull();
        assertThat(table.current().match("/creds/x")).isNull();
        assertThat(table.current().match("/broken/x")).isNull();
        assertThat(table.current().match("/orders/x").api()).isEqualTo("orders");
        assertThat(table.current().all()).hasSize(1);
    }
}
