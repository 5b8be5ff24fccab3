package io.tollgate.tokenapi.it;

import com.nimbusds.jwt.SignedJWT;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ApiRecord;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.topics.Topics;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static io.tollgate.tokenapi.it.Http.params;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The group a user needs for an API comes from the registry's {@link ApiRecord} on a running token-api (real LDAP,
 * broker and Redis): API {@code reports} has no {@code entitlements:} entry in the configuration, so every user would
 * be entitled; its record requires {@code mobile-users}, which carol is not in. A plan's group is required too.
 */
class RegistryGroupIT {
    private static final String API = "reports";
    private static final String CLIENT = "reports-client";
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final ApplicationRecord APP = new ApplicationRecord("reports-app", CLIENT, "Reports",
            ApplicationRecord.ClientType.PUBLIC, null, DemoRegistry.OWNER_EMAIL, CREATED, DemoRegistry.OWNER.developerId(),
            DemoRegistry.GRANT_TYPES, List.of(), false);
    private static final PlanRecord PLAN = plan(null);
    private static final SubscriptionRecord SUBSCRIPTION = new SubscriptionRecord("sub-reports-app-reports",
            APP.applicationId(), CLIENT, API, PLAN.planId(), SubscriptionRecord.Status.APPROVED, CREATED);

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("registry-group-it")
            .registry(api("mobile-users"), PLAN, APP, SUBSCRIPTION).build();

    private static Http http;

    @BeforeAll
    static void client() {
        http = new Http(STACK.baseUrl());
    }

    @AfterAll
    static void removeRecords() throws Exception {
        for (String key : List.of(ApiRecord.key(API), SUBSCRIPTION.subject(), APP.subject(), PLAN.subject())) {
            send(key, null); // the broker may be shared with other test classes
        }
    }

    private static ApiRecord api(String group) {
        return new ApiRecord(API, "/reports/", List.of("http://127.0.0.1:9000"), Map.of("*", "read"), group, false,
                false);
    }

    private static PlanRecord plan(String group) {
        return new PlanRecord("reports-basic", API, "Reports basic", Set.of("read"), 60, 0, 0, 3, false,
                DemoRegistry.GRANT_TYPES, 0, 0, 0, 0, group);
    }

    private static void publish(EventData data) throws Exception {
        send(data.subject(), Event.of(URI.create("/tollgate/test/registry-group-it"), data));
    }

    private static void send(String key, Event<?> value) throws Exception {
        try (Producer<String, Event<?>> producer = STACK.kafka().producer(Topics.REGISTRY)) {
            producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), key, value)).get();
        }
    }

    private static Http.Answer login(String user) {
        return http.postForm("/oauth2/token", params("grant_type", "password", "client_id", CLIENT, "username", user,
                "password", user + "-secret"));
    }

    /** Logs {@code user} in until {@code done} holds (the registry view follows the topic), at most 30 s. */
    private static Http.Answer loginUntil(String user, Predicate<Http.Answer> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Http.Answer answer = login(user);
        while (!done.test(answer) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            answer = login(user);
        }
        return answer;
    }

    private static boolean notEntitled(Http.Answer answer) {
        return answer.status() == 400 && "invalid_grant".equals(answer.text("error"))
                && answer.text("error_description").contains("not entitled");
    }

    @Test
    void theRegistrysGroupDecidesAndAPlansGroupIsRequiredToo() throws Exception {
        // the record requires mobile-users: carol is refused, alice gets a token for reports
        assertThat(notEntitled(login("carol"))).isTrue();
        Http.Answer alice = login("alice");
        assertThat(alice.status()).isEqualTo(200);
        assertThat(SignedJWT.parse(alice.text("access_token")).getJWTClaimsSet().getAudience()).containsExactly(API);

        // the record changed to no group: carol may log in, though nothing in the configuration changed
        publish(api(null));
        Http.Answer carol = loginUntil("carol", a -> a.status() == 200);
        assertThat(carol.status()).isEqualTo(200);
        assertThat(SignedJWT.parse(carol.text("access_token")).getJWTClaimsSet().getAudience()).containsExactly(API);

        // the plan now requires mobile-users: carol is refused again, alice is not
        publish(plan("mobile-users"));
        assertThat(notEntitled(loginUntil("carol", RegistryGroupIT::notEntitled))).isTrue();
        assertThat(login("alice").status()).isEqualTo(200);
    }
}
