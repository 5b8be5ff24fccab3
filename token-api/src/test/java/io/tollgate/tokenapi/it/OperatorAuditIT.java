package io.tollgate.tokenapi.it;

import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventType;
import io.tollgate.shared.events.OperatorAction;
import io.tollgate.shared.topics.Topics;
import io.tollgate.tokenapi.OperatorHttp;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operator action through token-api that takes effect is an {@code operator.action} CloudEvent on
 * {@code tollgate.auth-events} naming the operator (read back from the real broker); a refused one writes none.
 * Approvals and rejections are covered with the portal in {@code PortalIT}.
 */
class OperatorAuditIT {
    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("operator-audit-it").build();

    static final OperatorHttp OPERATOR = new OperatorHttp(STACK.baseUrl());

    /** The operator.action records on the audit topic, read until {@code expected} of them match. */
    static List<ConsumerRecord<String, Event<?>>> actions(Predicate<OperatorAction> match, int expected) {
        Predicate<ConsumerRecord<String, Event<?>>> matching = r -> r.value() != null
                && r.value().eventType() == EventType.OPERATOR_ACTION
                && match.test(r.value().dataAs(OperatorAction.class));
        return STACK.kafka().readUntil(Topics.AUTH_EVENTS, rs -> rs.stream().filter(matching).count() >= expected,
                Duration.ofSeconds(20)).stream().filter(matching).toList();
    }

    @Test
    void operatorRevocationsAreOperatorActionsNamingTheOperatorAndRefusedOnesAreNot() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String refusedUser = "refused-" + tag;
        String user = "audited-" + tag;
        String client = "audited-client-" + tag;
        // a well-formed JSON revocation (else it is 415 before the password is looked at) with a wrong password
        assertThat(OPERATOR.send("POST", "/admin/users/" + refusedUser + "/revoke", "{\"reason\":\"refused\"}",
                "not-the-password").status()).isEqualTo(401);
        assertThat(OPERATOR.send("POST", "/admin/users/" + user + "/revoke",
                "{\"reason\":\"lost phone\",\"client_id\":\"demo-mobile\"}", "ops-secret").status()).isEqualTo(204);
        assertThat(OPERATOR.send("POST", "/admin/clients/" + client + "/revoke", "{\"reason\":\"leaked\"}",
                "ops-secret").status()).isEqualTo(204);

        List<ConsumerRecord<String, Event<?>>> records = actions(a -> a.target().endsWith(tag), 2);
        assertThat(records).hasSize(2);
        for (ConsumerRecord<String, Event<?>> r : records) {
            assertThat(r.key()).as("keyed by the operator").isEqualTo("ops");
            assertThat(r.value().type()).isEqualTo("tollgate.operator.action");
            assertThat(r.value().subject()).isEqualTo("ops");
            assertThat(r.value().source().toString()).startsWith("/tollgate/token-api/");
        }
        OperatorAction userAction = records.get(0).value().dataAs(OperatorAction.class);
        assertThat(userAction.operator()).isEqualTo("ops");
        assertThat(userAction.action()).isEqualTo(OperatorAction.Action.USER_REVOKED);
        assertThat(userAction.userId()).isEqualTo(user);
        assertThat(userAction.clientId()).isEqualTo("demo-mobile");
        assertThat(userAction.reason()).isEqualTo("lost phone");
        assertThat(userAction.ip()).isEqualTo("127.0.0.1");
        OperatorAction clientAction = records.get(1).value().dataAs(OperatorAction.class);
        assertThat(clientAction.action()).isEqualTo(OperatorAction.Action.CLIENT_REVOKED);
        assertThat(clientAction.clientId()).isEqualTo(client);
        assertThat(clientAction.reason()).isEqualTo("leaked");
        assertThat(records).noneMatch(r -> r.value().dataAs(OperatorAction.class).target().equals(refusedUser));
    }

    @Test
    void aTaskOnTheAdminPortIsAnOperatorAction() throws Exception {
        String gc = "http://127.0.0.1:" + STACK.app().getAdminPort() + "/tasks/gc";
        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gc))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        HttpResponse<String> ran = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gc))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("ops:ops-secret"
                        .getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ran.statusCode()).isEqualTo(200);

        // (the broker is shared with other token-api ITs, whose operators may have run tasks too)
        List<ConsumerRecord<String, Event<?>>> tasks = actions(a -> a.action() == OperatorAction.Action.ADMIN_TASK, 1);
        assertThat(tasks).isNotEmpty().allSatisfy(r -> {
            OperatorAction task = r.value().dataAs(OperatorAction.class);
            assertThat(task.operator()).isEqualTo("ops");
            assertThat(task.target()).isEqualTo("POST /tasks/gc");
            assertThat(task.ip()).isEqualTo("127.0.0.1");
        });
    }
}
