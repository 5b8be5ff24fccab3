package io.tollgate.shared.demo;

import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/** The demo registry of DESIGN.md: plans basic and premium for API {@code mobile}, app {@code demo-mobile-app}. */
public final class DemoRegistry {
    public static final String API = "mobile";
    public static final String APPLICATION_ID = "demo-mobile-app";
    public static final String CLIENT_ID = "demo-mobile";
    public static final String SUBSCRIPTION_ID = "sub-demo-mobile-app-mobile";
    public static final Set<String> GRANT_TYPES = Set.of("password", "refresh_token");
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    public static final PlanRecord BASIC = new PlanRecord("basic", API, "Basic", Set.of("read"), 60, 0, 0, 3, false,
            GRANT_TYPES);
    public static final PlanRecord PREMIUM = new PlanRecord("premium", API, "Premium", Set.of("read", "write"), 600, 0,
            0, 10, false, GRANT_TYPES);
    public static final ApplicationRecord APPLICATION = new ApplicationRecord(APPLICATION_ID, CLIENT_ID,
            "Demo mobile app", ApplicationRecord.ClientType.PUBLIC, null, "demo@example.test", CREATED);
    public static final SubscriptionRecord SUBSCRIPTION = new SubscriptionRecord(SUBSCRIPTION_ID, APPLICATION_ID,
            CLIENT_ID, API, BASIC.planId(), SubscriptionRecord.Status.APPROVED, CREATED);

    private DemoRegistry() {
    }

    public static List<EventData> records() {
        return List.of(BASIC, PREMIUM, APPLICATION, SUBSCRIPTION);
    }

    /** Publishes the demo registry through {@code tollgate.registry}, waiting for every acknowledgement. */
    public static void publish(Producer<String, Event<?>> producer, URI source)
            throws InterruptedException, ExecutionException {
        for (EventData data : records()) {
            producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), data.subject(), Event.of(source, data))).get();
        }
    }
}
