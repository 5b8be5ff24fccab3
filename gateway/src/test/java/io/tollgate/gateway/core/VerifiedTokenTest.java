package io.tollgate.gateway.core;

import io.tollgate.shared.events.SubscriptionRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedTokenTest {
    private static final VerifiedToken TOKEN = new VerifiedToken("alice", "demo-mobile", "read", Set.of("read"),
            List.of("mobile"), "jti-1", "sid-1", 1, 2);

    private static SubscriptionRecord subscription(String application, String api) {
        return new SubscriptionRecord("sub-1", application, "demo-mobile", api, "basic",
                SubscriptionRecord.Status.APPROVED, Instant.EPOCH, 1);
    }

    @Test
    void theConsumerUsernameIsTheApplicationAndTheApiKeptWhileBothStay() {
        SubscriptionRecord mobile = subscription("app-1", "mobile");
        String first = TOKEN.consumerUsername(mobile, "mobile");
        assertThat(first).isEqualTo("app-1$mobile");
        assertThat(TOKEN.consumerUsername(mobile, "mobile")).isSameAs(first);

        // another API, or the registry's new instance of the subscription: made afresh
        assertThat(TOKEN.consumerUsername(subscription("app-1", "billing"), "billing")).isEqualTo("app-1$billing");
        assertThat(TOKEN.consumerUsername(subscription("app-2", "mobile"), "mobile")).isEqualTo("app-2$mobile");
        assertThat(TOKEN.consumerUsername(mobile, "mobile")).isEqualTo("app-1$mobile");
    }
}
