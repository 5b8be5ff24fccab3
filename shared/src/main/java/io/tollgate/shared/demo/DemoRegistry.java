package io.tollgate.shared.demo;

import io.tollgate.shared.events.ApiRecord;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.DeveloperRecord;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * The demo registry of docs/demo.md: plans basic and premium for API {@code mobile}, and plan partner, which an operator
 * must approve before an application can use it (no application is on it: the README walks a developer through
 * subscribing one); the public mobile app
 * {@code demo-mobile-app} (client {@code demo-mobile}) on basic; the confidential service app {@code demo-service-app}
 * (client {@code demo-service} / {@code demo-service-secret}, client credentials) on premium; and their owner: the
 * verified portal account {@code demo@example.test} / {@code demo-portal-pass}.
 */
public final class DemoRegistry {
    public static final String API = "mobile";
    public static final String APPLICATION_ID = "demo-mobile-app";
    public static final String CLIENT_ID = "demo-mobile";
    public static final String SUBSCRIPTION_ID = "sub-demo-mobile-app-mobile";
    /** The grants of the mobile app, and of plan basic. */
    public static final Set<String> GRANT_TYPES = Set.of("password", "refresh_token", "authorization_code");
    public static final List<String> REDIRECT_URIS = List.of("io.tollgate.demo:/oauth2redirect",
            "http://127.0.0.1/callback");
    public static final String SERVICE_APPLICATION_ID = "demo-service-app";
    public static final String SERVICE_CLIENT_ID = "demo-service";
    /** The service client's secret, only for the demo (its PBKDF2 hash below is what the registry holds). */
    public static final String SERVICE_CLIENT_SECRET = "demo-service-secret";
    public static final String SERVICE_SUBSCRIPTION_ID = "sub-demo-service-app-mobile";
    public static final Set<String> SERVICE_GRANT_TYPES = Set.of("client_credentials");
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    public static final PlanRecord BASIC = new PlanRecord("basic", API, "Basic", Set.of("read"), 60, 0, 0, 3, false,
            GRANT_TYPES);
    public static final PlanRecord PREMIUM = new PlanRecord("premium", API, "Premium", Set.of("read", "write"), 600, 0,
            0, 10, false, Set.of("password", "refresh_token", "authorization_code", "client_credentials"));
    /** Scopes read and write like premium, for an application an operator has approved. */
    public static final PlanRecord PARTNER = new PlanRecord("partner", API, "Partner", Set.of("read", "write"), 300,
            5_000, 50_000, 5, true, GRANT_TYPES);
    public static final String OWNER_EMAIL = "demo@example.test";
    /** The owner's portal password, only for the demo (its PBKDF2 hash below is what the registry holds). */
    public static final String OWNER_PASSWORD = "demo-portal-pass";
    public static final DeveloperRecord OWNER = new DeveloperRecord("dev-demo-owner", OWNER_EMAIL,
            "pbkdf2-sha256$210000$Vf49XdtBjL9CfaghLUDuFQ==$2oIGqpGb8y3PFdQp46rjtN7BXYJiZHnMF8OsOj/LeQg=", CREATED,
            CREATED);
    public static final ApplicationRecord APPLICATION = new ApplicationRecord(APPLICATION_ID, CLIENT_ID,
            "Demo mobile app", ApplicationRecord.ClientType.PUBLIC, null, OWNER_EMAIL, CREATED, OWNER.developerId(),
            GRANT_TYPES, REDIRECT_URIS, false);
    public static final SubscriptionRecord SUBSCRIPTION = new SubscriptionRecord(SUBSCRIPTION_ID, APPLICATION_ID,
            CLIENT_ID, API, BASIC.planId(), SubscriptionRecord.Status.APPROVED, CREATED);
    public static final ApplicationRecord SERVICE_APPLICATION = new ApplicationRecord(SERVICE_APPLICATION_ID,
            SERVICE_CLIENT_ID, "Demo service", ApplicationRecord.ClientType.CONFIDENTIAL,
            "pbkdf2-sha256$210000$uNBAJWklEAP+hQqqSV+58Q==$W9XJoX4httT6KzkUUJHD4uyseh7LtoZ94FemPjXHDzo=", OWNER_EMAIL,
            CREATED, OWNER.developerId(), SERVICE_GRANT_TYPES, List.of(), false);
    public static final SubscriptionRecord SERVICE_SUBSCRIPTION = new SubscriptionRecord(SERVICE_SUBSCRIPTION_ID,
            SERVICE_APPLICATION_ID, SERVICE_CLIENT_ID, API, PREMIUM.planId(), SubscriptionRecord.Status.APPROVED,
            CREATED);

    private DemoRegistry() {
    }

    public static List<EventData> records() {
        return List.of(BASIC, PREMIUM, PARTNER, OWNER, APPLICATION, SUBSCRIPTION, SERVICE_APPLICATION,
                SERVICE_SUBSCRIPTION);
    }

    /** Publishes the demo registry through {@code tollgate.registry}, waiting for every acknowledgement. */
    public static void publish(Producer<String, Event<?>> producer, URI source)
            throws InterruptedException, ExecutionException {
        for (EventData data : records()) {
            producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), data.subject(), Event.of(source, data))).get();
        }
    }

    /** The path prefix of API {@code mobile} on every gateway. */
    public static final String API_PREFIX = "/mobile/";
    /** The identity-provider group a user must be in to get a token for API {@code mobile}. */
    public static final String API_GROUP = "mobile-users";

    /**
     * API {@code mobile} as the registry holds it, served by {@code upstream} (the deployment's backend: the local
     * stack's demo upstream, say): GET and HEAD need {@code read}, any other method {@code write}, and a user must be
     * in {@code mobile-users}. Not among {@link #records()}, since its upstream depends on the deployment.
     */
    public static ApiRecord api(String upstream) {
        return new ApiRecord(API, API_PREFIX, List.of(upstream), Map.of("GET", "read", "HEAD", "read", "*", "write"),
                API_GROUP, false, false);
    }

    /** Publishes {@link #api(String)} through {@code tollgate.registry}, waiting for the acknowledgement. */
    public static void publishApi(Producer<String, Event<?>> producer, URI source, String upstream)
            throws InterruptedException, ExecutionException {
        ApiRecord api = api(upstream);
        producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), api.subject(), Event.of(source, api))).get();
    }
}
