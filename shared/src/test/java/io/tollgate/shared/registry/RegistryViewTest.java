package io.tollgate.shared.registry;

import io.tollgate.shared.events.ApiRecord;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.events.UserBlockRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryViewTest {
    private static final URI SOURCE = Event.source("test", "n1");
    private static final ApiRecord ORDERS = new ApiRecord("orders", "/orders/", List.of("http://127.0.0.1:9000"),
            Map.of("GET", "read"), null, false, false);

    @Test
    void apisAreAddedChangedAndRemovedAndEachChangeMovesTheCounter() {
        RegistryView view = new RegistryView();
        long start = view.apiChanges();

        view.apply(ORDERS.subject(), Event.of(SOURCE, ORDERS));
        assertThat(view.api("orders")).contains(ORDERS);
        long added = view.apiChanges();
        assertThat(added).isGreaterThan(start);

        view.apply(ORDERS.subject(), Event.of(SOURCE, ORDERS));
        assertThat(view.apiChanges()).as("the same record again is no change").isEqualTo(added);

        ApiRecord moved = new ApiRecord("orders", "/v2/orders/", List.of("http://127.0.0.1:9000"),
                Map.of("GET", "read"), "staff", false, false);
        view.apply(moved.subject(), Event.of(SOURCE, moved));
        assertThat(view.apis()).containsExactly(moved);
        long changed = view.apiChanges();
        assertThat(changed).isGreaterThan(added);

        view.apply("api:orders", null);
        assertThat(view.api("orders")).isEmpty();
        assertThat(view.apiChanges()).isGreaterThan(changed);
    }

    @Test
    void aBlockLastsUntilItsTombstone() {
        RegistryView view = new RegistryView();
        UserBlockRecord block = new UserBlockRecord("mallory", "abuse", "ops", Instant.parse("2026-12-01T00:00:00Z"));

        view.apply(block.subject(), Event.of(SOURCE, block));
        assertThat(view.block("mallory")).contains(block);
        assertThat(view.blocks()).containsExactly(block);
        assertThat(view.block("alice")).isEmpty();

        view.apply(UserBlockRecord.key("mallory"), null);
        assertThat(view.block("mallory")).isEmpty();
    }

    @Test
    void aSubscriptionIsFoundByClientAndApiUntilItIsReplacedOrItsTombstone() {
        RegistryView view = new RegistryView();
        SubscriptionRecord orders = new SubscriptionRecord("s1", "app-1", "client-1", "orders", "basic",
                SubscriptionRecord.Status.PENDING, Instant.EPOCH);
        SubscriptionRecord billing = new SubscriptionRecord("s2", "app-1", "client-1", "billing", "basic",
                SubscriptionRecord.Status.APPROVED, Instant.EPOCH);
        view.apply(orders.subject(), Event.of(SOURCE, orders));
        view.apply(billing.subject(), Event.of(SOURCE, billing));
        assertThat(view.subscription("client-1", "orders")).contains(orders);
        assertThat(view.subscription("client-1", "billing")).contains(billing);
        assertThat(view.subscription("client-2", "orders")).isEmpty();
        assertThat(view.subscription("client-1", "payments")).isEmpty();
        assertThat(view.subscription(null, "orders")).isEmpty();

        SubscriptionRecord approved = new SubscriptionRecord("s1", "app-1", "client-1", "orders", "plus",
                SubscriptionRecord.Status.APPROVED, Instant.EPOCH.plusSeconds(1), 2);
        view.apply(approved.subject(), Event.of(SOURCE, approved));
        assertThat(view.subscription("client-1", "orders")).contains(approved);

        view.apply(approved.subject(), null);
        assertThat(view.subscription("client-1", "orders")).isEmpty();
        assertThat(view.subscription("client-1", "billing")).contains(billing);
        assertThat(view.allSubscriptions()).containsExactly(billing);
    }
}
