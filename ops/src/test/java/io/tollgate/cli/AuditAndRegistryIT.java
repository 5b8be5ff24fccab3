package io.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.LoginFailed;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.OperatorAction;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.json.Json;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.shared.topics.Topic;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit command against a real broker (approve goes through token-api: OperatorCliStackIT). */
class AuditAndRegistryIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.shared();
    private static final URI SOURCE = Event.source("token-api", "it");
    private static Map<String, String> env;

    @BeforeAll
    static void topics() throws Exception {
        KAFKA.createTopics(Topics.ALL);
        env = Map.of("TOLLGATE_KAFKA_BOOTSTRAP", KAFKA.bootstrapServers());
    }

    private static void send(Topic<String, Event<?>> topic, String key, Event<?> event) throws Exception {
        try (Producer<String, Event<?>> producer = KAFKA.producer(topic)) {
            producer.send(new ProducerRecord<>(topic.name(), key, event)).get(10, TimeUnit.SECONDS);
        }
    }

    private static void send(Topic<String, Event<?>> topic, String key, EventData data) throws Exception {
        send(topic, key, Event.of(SOURCE, data));
    }

    private static LoginSucceeded login(String user, String ip) {
        return new LoginSucceeded(user, "demo-mobile", "demo-mobile-app", "sub-1", "basic", "fam-" + UUID.randomUUID(),
                0, Hashes.sha256(UUID.randomUUID().toString()), "jti-" + UUID.randomUUID(), "read",
                Instant.now().plusSeconds(300), Instant.now().plus(30, ChronoUnit.DAYS), ip);
    }

    private static List<JsonNode> jsonLines(String out) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.mapper().readTree(line));
            }
        }
        return lines;
    }

    @Test
    void auditFiltersByUserTypeIpAndTimeWithoutJoiningAGroup() throws Exception {
        send(Topics.AUTH_EVENTS, "audit-alice", login("audit-alice", "10.0.0.1"));
        send(Topics.AUTH_EVENTS, "audit-alice", new LoginFailed("audit-alice", "demo-mobile", "password",
                LoginFailed.Reason.INVALID_CREDENTIALS, "10.0.0.2"));
        send(Topics.AUTH_EVENTS, "audit-bob", new LoginFailed("audit-bob", "demo-mobile", "password",
                LoginFailed.Reason.INVALID_CREDENTIALS, "10.0.0.2"));
        Revocation revocation = new Revocation(Revocation.Kind.USER, "audit-alice", null, null, null,
                Instant.now().truncatedTo(ChronoUnit.SECONDS), Instant.now().plus(30, ChronoUnit.DAYS), "ops", "lost phone");
        send(Topics.REVOCATIONS, revocation.key(), revocation);
        // An event whose own time is long ago (the record's timestamp is now).
        send(Topics.AUTH_EVENTS, "audit-carol", new Event<>(UUID.randomUUID().toString(), SOURCE,
                Instant.parse("2026-01-05T10:00:00Z"), login("audit-carol", "10.0.0.9")));

        CliRunner.Result all = CliRunner.run(env, "audit", "--user", "audit-alice", "--json");
        assertThat(all.code()).as(all.err()).isZero();
        List<JsonNode> lines = jsonLines(all.out());
        assertThat(lines).extracting(l -> l.get("type").asText()).containsExactlyInAnyOrder(
                "tollgate.login.succeeded", "tollgate.login.failed", "tollgate.revocation");
        assertThat(lines).extracting(l -> l.get("topic").asText()).contains("tollgate.revocations");
        assertThat(all.out()).doesNotContain("refreshTokenHash\":null");

        CliRunner.Result failed = CliRunner.run(env, "audit", "--user", "audit-alice", "--type", "login.failed");
        assertThat(failed.code()).isZero();
        assertThat(failed.out()).contains("TIME", "login.failed", "10.0.0.2", "INVALID_CREDENTIALS")
                .doesNotContain("10.0.0.1").doesNotContain("audit-bob")
                .doesNotContain("no matching events");

        CliRunner.Result byIp = CliRunner.run(env, "audit", "--ip", "10.0.0.2", "--type", "tollgate.login.failed", "--json");
        assertThat(jsonLines(byIp.out())).extracting(l -> l.get("subject").asText())
                .containsExactlyInAnyOrder("audit-alice", "audit-bob");

        CliRunner.Result byClient = CliRunner.run(env, "audit", "--client", "no-such-client");
        assertThat(byClient.out()).contains("no matching events");

        assertThat(jsonLines(CliRunner.run(env, "audit", "--user", "audit-carol", "--to", "2026-02-01", "--json").out()))
                .hasSize(1);
        assertThat(jsonLines(CliRunner.run(env, "audit", "--user", "audit-carol", "--from", "2026-02-01T00:00:00Z",
                "--json").out())).isEmpty();
        // --from seeks by record timestamp: a start in the future finds nothing at all.
        assertThat(CliRunner.run(env, "audit", "--from", Instant.now().plusSeconds(3600).toString()).out())
                .contains("no matching events");

        CliRunner.Result bad = CliRunner.run(env, "audit", "--from", "yesterday");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--from must be an ISO-8601");

        try (Admin admin = KAFKA.admin()) {
            assertThat(admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS))
                    .extracting(ConsumerGroupListing::groupId)
                    .allMatch(g -> g.startsWith("fixture-reader-"), "only the fixture's readers, never the CLI");
        }
    }

    @Test
    void operatorActionsShowWithTheOperatorAndWhatTheyReviewed() throws Exception {
        send(Topics.AUTH_EVENTS, "audit-ops", new OperatorAction("audit-ops",
                OperatorAction.Action.SUBSCRIPTION_APPROVED, "sub-audit-1", null, "audit-client", "mobile", "gold", 4L,
                null, "10.0.0.77"));
        send(Topics.AUTH_EVENTS, "audit-ops", new OperatorAction("audit-ops", OperatorAction.Action.USER_REVOKED,
                "audit-dave", "audit-dave", null, null, null, null, "lost phone", "10.0.0.77"));
        send(Topics.AUTH_EVENTS, "audit-other-op", new OperatorAction("audit-other-op",
                OperatorAction.Action.SUBSCRIPTION_REJECTED, "sub-audit-2", null, "audit-client", "mobile", "gold", 1L,
                null, "10.0.0.78"));

        CliRunner.Result table = CliRunner.run(env, "audit", "--operator", "audit-ops");
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out().lines().toList()).hasSize(3); // the header and the two actions of audit-ops
        assertThat(table.out()).contains("operator.action")
                .contains("operator=audit-ops action=SUBSCRIPTION_APPROVED target=sub-audit-1 api=mobile planId=gold "
                        + "version=4")
                .contains("operator=audit-ops action=USER_REVOKED target=audit-dave reason=lost phone")
                .contains("audit-client").contains("10.0.0.77").doesNotContain("sub-audit-2");

        List<JsonNode> json = jsonLines(CliRunner.run(env, "audit", "--type", "operator.action", "--client",
                "audit-client", "--json").out());
        assertThat(json).extracting(l -> l.get("subject").asText()).containsExactlyInAnyOrder("audit-ops",
                "audit-other-op");
        assertThat(json).extracting(l -> l.get("data").get("operator").asText()).containsExactlyInAnyOrder("audit-ops",
                "audit-other-op");
    }

    @Test
    void auditFollowPrintsNewEventsAsTheyArrive() throws Exception {
        CompletableFuture<CliRunner.Result> follow = CompletableFuture.supplyAsync(() ->
                CliRunner.run(env, "audit", "--follow", "--from", Instant.now().toString(), "--user", "audit-dave",
                        "--max", "1", "--json"));
        Thread.sleep(1500); // let it assign and seek before the event exists
        assertThat(follow).isNotDone();
        send(Topics.AUTH_EVENTS, "audit-dave", login("audit-dave", "10.1.1.1"));
        CliRunner.Result result = follow.get(30, TimeUnit.SECONDS);
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(jsonLines(result.out())).singleElement()
                .satisfies(l -> assertThat(l.get("data").get("ip").asText()).isEqualTo("10.1.1.1"));
    }

    @Test
    void followWithoutFromStartsAtTheEndOfTheTopics() throws Exception {
        send(Topics.AUTH_EVENTS, "audit-erin", login("audit-erin", "10.2.2.1")); // before the follow: history
        CompletableFuture<CliRunner.Result> follow = CompletableFuture.supplyAsync(() ->
                CliRunner.run(env, "audit", "--follow", "--user", "audit-erin", "--max", "1", "--json"));
        Thread.sleep(2500); // let it assign and seek to the end
        assertThat(follow).isNotDone();
        send(Topics.AUTH_EVENTS, "audit-erin", login("audit-erin", "10.2.2.2"));
        CliRunner.Result result = follow.get(30, TimeUnit.SECONDS);
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(jsonLines(result.out())).singleElement()
                .satisfies(l -> assertThat(l.get("data").get("ip").asText()).isEqualTo("10.2.2.2"));
    }

    /**
     * A search streams its output in time order across partitions, holding only a bounded number of events per
     * partition: with the bound lowered to 20, 3,000 events of 40 users (every partition of both topics)
     * still come out complete and sorted.
     */
    @Test
    void aLargeSearchIsPrintedInTimeOrderWithBoundedBuffering() throws Exception {
        Instant base = Instant.parse("2026-03-01T00:00:00Z");
        int users = 40;
        int count = 3_000;
        try (Producer<String, Event<?>> auth = KAFKA.producer(Topics.AUTH_EVENTS);
             Producer<String, Event<?>> revocations = KAFKA.producer(Topics.REVOCATIONS)) {
            for (int i = 0; i < count; i++) {
                String user = "merge-" + (i * 7 % users);
                Instant time = base.plusMillis(i * 10L);
                if (i % 10 == 9) {
                    Revocation r = new Revocation(Revocation.Kind.USER, user, null, null, null, time.truncatedTo(
                            ChronoUnit.SECONDS), time.plus(30, ChronoUnit.DAYS), "ops", "merge " + i);
                    revocations.send(new ProducerRecord<>(Topics.REVOCATIONS.name(), r.key(),
                            new Event<>(UUID.randomUUID().toString(), SOURCE, time, r)));
                } else {
                    auth.send(new ProducerRecord<>(Topics.AUTH_EVENTS.name(), user, new Event<>(
                            UUID.randomUUID().toString(), SOURCE, time, new LoginFailed(user, "merge-client", "password",
                            LoginFailed.Reason.INVALID_CREDENTIALS, "10.3.3.3"))));
                }
            }
            auth.flush();
            revocations.flush();
        }
        int before = AuditCommand.BUFFER_PER_PARTITION;
        AuditCommand.BUFFER_PER_PARTITION = 20;
        int pausesBefore = AuditCommand.PAUSES.get();
        try {
            CliRunner.Result result = CliRunner.run(env, "audit", "--from", "2026-03-01", "--to", "2026-03-02", "--json");
            assertThat(result.code()).as(result.err()).isZero();
            List<Instant> times = new ArrayList<>();
            for (JsonNode line : jsonLines(result.out())) {
                times.add(Instant.parse(line.get("time").asText())); // only this test's events are dated March
            }
            assertThat(times).hasSize(count).isSorted();
            assertThat(times.get(0)).isEqualTo(base);
            assertThat(AuditCommand.PAUSES.get()).as("partitions paused at the bound").isGreaterThan(pausesBefore);
        } finally {
            AuditCommand.BUFFER_PER_PARTITION = before;
        }
    }
}
