package io.tollgate.revocation.kafka;

import io.prometheus.metrics.core.metrics.Histogram;
import io.tollgate.revocation.core.ProjectionApplier;
import io.tollgate.revocation.core.PropagationDelay;
import io.tollgate.revocation.core.RedisRetry;
import io.tollgate.revocation.redis.InMemoryRedisSink;
import io.tollgate.shared.events.ApiCall;
import io.tollgate.shared.events.ClientTokenIssued;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.PolicyDecision;
import io.tollgate.shared.events.RefreshReused;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.events.TokenRefreshed;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.redis.RedisKeys.Window;
import io.tollgate.shared.topics.Topic;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectionTopologyTest {
    private static final URI SOURCE = Event.source("test", "t1");
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    private static final String HASH_A = "a".repeat(43);
    private static final String HASH_B = "b".repeat(43);

    private final InMemoryRedisSink sink = new InMemoryRedisSink();
    private final Histogram delays = Histogram.builder().name("test_delay_seconds").classicOnly()
            .classicUpperBounds(0.1, 1).build();
    private TopologyTestDriver driver;

    @BeforeEach
    void setUp() {
        var applier = new ProjectionApplier(sink, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(30));
        var topology = ProjectionTopology.build(sink, applier, new RedisRetry(Duration.ofSeconds(1)),
                new PropagationDelay(delays, Clock.fixed(NOW, ZoneOffset.UTC)), Duration.ofMinutes(5),
                Duration.ofDays(35));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        props.put(StreamsConfig.STATE_DIR_CONFIG, "target/streams-test-state");
        // as StreamsSettings configures the service: a poison record is logged and skipped
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                org.apache.kafka.streams.errors.LogAndContinueExceptionHandler.class.getName());
        driver = new TopologyTestDriver(topology, props, NOW);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private TestInputTopic<String, Event<?>> input(Topic<String, Event<?>> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private static Event<?> event(Instant time, io.tollgate.shared.events.EventData data) {
        return new Event<>(UUID.randomUUID().toString(), SOURCE, time, data);
    }

    private static Revocation user(String user, Instant notBefore) {
        return new Revocation(Revocation.Kind.USER, user, null, null, null, notBefore, NOW.plus(Duration.ofDays(30)),
                "ops", "test");
    }

    @Test
    void userNotBeforeTakesTheLargerValueAndPublishesOnlyChanges() {
        var revocations = input(Topics.REVOCATIONS);
        revocations.pipeInput("user:dave", event(NOW, user("dave", NOW)));
        revocations.pipeInput("user:dave", event(NOW, user("dave", NOW.minusSeconds(60))));
        revocations.pipeInput("user:dave", event(NOW, user("dave", NOW)));

        long nb = NOW.getEpochSecond();
        assertThat(sink.writes).containsExactly("notBefore tg:rev:user:dave " + nb,
                "notBefore tg:rev:user:dave " + (nb - 60), "notBefore tg:rev:user:dave " + nb);
        assertThat(sink.strings).containsExactly(Map.entry("tg:rev:user:dave", Long.toString(nb)));
        assertThat(sink.expireAt).containsEntry("tg:rev:user:dave", NOW.plus(Duration.ofDays(30)).getEpochSecond());
        assertThat(sink.published).containsExactly("tg:rev:user:dave");
    }

    @Test
    void everyRevocationKindLandsOnItsKeyAndExpiredFactsAreSkipped() {
        var revocations = input(Topics.REVOCATIONS);
        Instant exp = NOW.plusSeconds(300);
        revocations.pipeInput("x", event(NOW, new Revocation(Revocation.Kind.USER_CLIENT, "bob", "c1", null, null, NOW,
                exp, "ops", null)));
        revocations.pipeInput("x", event(NOW, new Revocation(Revocation.Kind.CLIENT, null, "c2", null, null, NOW, exp,
                "ops", null)));
        revocations.pipeInput("x", event(NOW, new Revocation(Revocation.Kind.FAMILY, "bob", "c1", "fam1", null, NOW,
                exp, "ops", null)));
        revocations.pipeInput("x", event(NOW, new Revocation(Revocation.Kind.TOKEN, null, null, null, "jti1", NOW, exp,
                "ops", null)));
        revocations.pipeInput("x", event(NOW, new Revocation(Revocation.Kind.USER, "old", null, null, null,
                NOW.minusSeconds(900), NOW.minusSeconds(1), "ops", null)));

        String s = Long.toString(NOW.getEpochSecond());
        assertThat(sink.strings).containsExactlyInAnyOrderEntriesOf(Map.of("tg:rev:uc:bob:c1", s, "tg:rev:client:c2", s,
                "tg:rev:family:fam1", s, "tg:rev:jti:jti1", s));
        assertThat(sink.published).containsExactly("tg:rev:uc:bob:c1", "tg:rev:client:c2", "tg:rev:family:fam1",
                "tg:rev:jti:jti1");
    }

    @Test
    void everyWrittenRevocationIsTimedFromItsEventTimeAndNothingElseIs() {
        var revocations = input(Topics.REVOCATIONS);
        revocations.pipeInput("user:dave", event(NOW.minusMillis(250), user("dave", NOW.minusSeconds(1))));
        revocations.pipeInput("jti:j1", event(NOW.minusMillis(1_500), new Revocation(Revocation.Kind.TOKEN, null, null,
                null, "j1", NOW.minusSeconds(2), NOW.plusSeconds(300), "demo-mobile", "rfc7009")));
        // a fact that no longer matters is not written, so not timed
        revocations.pipeInput("user:old", event(NOW.minusSeconds(900), new Revocation(Revocation.Kind.USER, "old", null,
                null, null, NOW.minusSeconds(900), NOW.minusSeconds(1), "ops", null)));
        // the producer's clock 40 ms ahead of ours: counted, as 0
        revocations.pipeInput("user:erin", event(NOW.plusMillis(40), user("erin", NOW)));
        // decisions and family events are projected but are not revocations
        input(Topics.POLICY_DECISIONS).pipeInput("dave", event(NOW.minusSeconds(3), new PolicyDecision("dave",
                "demo-mobile", "f1", PolicyDecision.Outcome.DENY, "license", "license expired", NOW)));
        input(Topics.AUTH_EVENTS).pipeInput("alice", event(NOW.minusSeconds(3),
                new RefreshReused("alice", "demo-mobile", "fam1", "1.2.3.4")));

        assertThat(sink.strings).containsKeys("tg:rev:user:dave", "tg:rev:jti:j1", "tg:rev:user:erin",
                "tg:rev:family:fam1").doesNotContainKey("tg:rev:user:old");
        assertThat(sink.hashes).containsKey("tg:decision:dave");
        assertThat(delays.getCount()).isEqualTo(3);
        // 0 s (a producer clock ahead is recorded as 0), 0.25 s and 1.5 s
        assertThat(delays.getSum()).isCloseTo(1.75, org.assertj.core.data.Offset.offset(1e-9));
        var buckets = delays.collect().getDataPoints().get(0).getClassicBuckets();
        assertThat(buckets.getCount(0)).as("le 0.1").isEqualTo(1);
        assertThat(buckets.getCount(1)).as("0.1 < x <= 1").isEqualTo(1);
        assertThat(buckets.getCount(2)).as("above 1").isEqualTo(1);
    }

    @Test
    void decisionsProjectToTheUsersHash() {
        var decisions = input(Topics.POLICY_DECISIONS);
        decisions.pipeInput("dave", event(NOW, new PolicyDecision("dave", "demo-mobile", "f1",
                PolicyDecision.Outcome.DENY, "license", "license expired", NOW)));
        decisions.pipeInput("dave", event(NOW, new PolicyDecision("dave", "demo-mobile", "f1",
                PolicyDecision.Outcome.DENY, "license", "license expired", NOW)));
        decisions.pipeInput("dave", event(NOW, new PolicyDecision("dave", "demo-mobile", "f1",
                PolicyDecision.Outcome.ALLOW, "all", null, NOW.minusSeconds(10))));

        assertThat(sink.hashes.get("tg:decision:dave")).containsExactlyInAnyOrderEntriesOf(Map.of("outcome", "DENY",
                "policy", "license", "reason", "license expired", "decidedAt", Long.toString(NOW.getEpochSecond())));
        assertThat(sink.published).containsExactly("tg:decision:dave");
    }

    @Test
    void familiesAreReprojectedWithHigherGenerationWinningAndReuseRevokes() {
        var auth = input(Topics.AUTH_EVENTS);
        Instant exp = NOW.plus(Duration.ofDays(30));
        auth.pipeInput("alice", event(NOW, new LoginSucceeded("alice", "demo-mobile", "demo-mobile-app", "sub1",
                "basic", "fam1", 0, HASH_A, "j1", "read", NOW.plusSeconds(300), exp, "127.0.0.1")));
        auth.pipeInput("alice", event(NOW, new TokenRefreshed("alice", "demo-mobile", "fam1", 1, HASH_B, "j2", "read",
                NOW.plusSeconds(300), exp, "127.0.0.1")));
        // a replay of the login must not move the family back to generation 0
        auth.pipeInput("alice", event(NOW, new LoginSucceeded("alice", "demo-mobile", "demo-mobile-app", "sub1",
                "basic", "fam1", 0, HASH_A, "j1", "read", NOW.plusSeconds(300), exp, "127.0.0.1")));
        auth.pipeInput("alice", event(NOW.plusSeconds(5), new RefreshReused("alice", "demo-mobile", "fam1", "1.2.3.4")));

        assertThat(sink.hashes.get("tg:family:fam1")).containsEntry("generation", "1").containsEntry("hash", HASH_B)
                .containsEntry("createdAt", Long.toString(NOW.toEpochMilli())).containsEntry("planId", "basic")
                .containsEntry("revoked", Long.toString(NOW.getEpochSecond() + 5));
        assertThat(sink.strings).containsEntry("tg:rt:" + HASH_A, "fam1 0").containsEntry("tg:rt:" + HASH_B, "fam1 1")
                .containsEntry("tg:rev:family:fam1", Long.toString(NOW.getEpochSecond() + 5));
        assertThat(sink.zsets.get("tg:families:alice:demo-mobile")).containsExactly(
                Map.entry("fam1", NOW.toEpochMilli()));
        assertThat(sink.published).containsExactly("tg:rev:family:fam1");
    }

    @Test
    void aClientTokenIssuanceCreatesNoFamilyAndWritesNothing() {
        input(Topics.AUTH_EVENTS).pipeInput("demo-service", event(NOW, new ClientTokenIssued("demo-service",
                "demo-service-app", "jti-cc", "read write", List.of("mobile"), NOW.plusSeconds(300), "127.0.0.1")));
        assertThat(sink.writes).isEmpty();
        assertThat(sink.hashes).isEmpty();
        assertThat(sink.strings).isEmpty();
        assertThat(sink.zsets).isEmpty();
        assertThat(sink.published).isEmpty();
    }

    @Test
    void clientCallsAreCountedForTheClientWithoutAUser() {
        var calls = input(Topics.CALLS);
        ApiCall call = new ApiCall("demo-service", null, "mobile", "/mobile/", "GET", 200, 100, ApiCall.Outcome.PROXIED,
                NOW);
        calls.pipeInput(call.key(), event(NOW, call));
        assertThat(call.key()).isEqualTo("demo-service|-");
        assertThat(sink.writes).anyMatch(w -> w.startsWith("usage ") && w.contains("demo-service") && w.endsWith(" 1"));
    }

    @Test
    void callsAreCountedPerPairAndWindowAsAbsoluteCounts() {
        var calls = input(Topics.CALLS);
        Instant t = Instant.parse("2026-11-29T10:00:10Z");
        for (int i = 0; i < 3; i++) {
            calls.pipeInput("demo-mobile|alice", event(t, call("alice", t.plusSeconds(i))));
        }
        calls.pipeInput("demo-mobile|bob", event(t, call("bob", t)));
        calls.pipeInput("demo-mobile|alice", event(t, call("alice", t.plusSeconds(60))));
        // late by 70 s, within the 5 min grace: counted in its own minute
        calls.pipeInput("demo-mobile|alice", event(t, call("alice", t.plusSeconds(5))));

        long minute = Instant.parse("2026-11-29T10:00:00Z").getEpochSecond();
        long day = Instant.parse("2026-11-29T00:00:00Z").getEpochSecond();
        assertThat(sink.strings).containsEntry("tg:usage:demo-mobile|alice:m:" + minute, "4")
                .containsEntry("tg:usage:demo-mobile|alice:m:" + (minute + 60), "1")
                .containsEntry("tg:usage:demo-mobile|alice:h:" + minute, "5")
                .containsEntry("tg:usage:demo-mobile|alice:d:" + day, "5")
                .containsEntry("tg:usage:demo-mobile|bob:m:" + minute, "1");
        WindowStore<String, Long> store = driver.getWindowStore(ProjectionTopology.usageStore(Window.MINUTE));
        assertThat(store.fetch("demo-mobile|alice", minute * 1000)).isEqualTo(4L);
        assertThat(store.fetch("demo-mobile|bob", minute * 1000)).isEqualTo(1L);
        assertThat(sink.published).isEmpty();
    }

    @Test
    void callsAreAlsoCountedPerAppAndApiSummedOverUsers() {
        var calls = input(Topics.CALLS);
        Instant t = Instant.parse("2026-11-29T10:00:10Z");
        calls.pipeInput("demo-mobile|alice", event(t, call("demo-mobile", "alice", "mobile", t)));
        calls.pipeInput("demo-mobile|bob", event(t, call("demo-mobile", "bob", "mobile", t.plusSeconds(1))));
        calls.pipeInput("demo-mobile|alice", event(t, call("demo-mobile", "alice", "reports", t.plusSeconds(2))));
        calls.pipeInput("other-app|alice", event(t, call("other-app", "alice", "mobile", t.plusSeconds(3))));
        calls.pipeInput("demo-mobile|bob", event(t, call("demo-mobile", "bob", "mobile", t.plusSeconds(60))));
        // late by 60 s, within the grace: counted in its own minute, and the write is the new absolute count
        calls.pipeInput("demo-mobile|alice", event(t, call("demo-mobile", "alice", "mobile", t.plusSeconds(5))));
        // a call without a valid token names no application: it is in no app's usage
        calls.pipeInput("-|-", event(t, call(null, null, "mobile", t.plusSeconds(61))));

        long minute = Instant.parse("2026-11-29T10:00:00Z").getEpochSecond();
        long day = Instant.parse("2026-11-29T00:00:00Z").getEpochSecond();
        Map<String, String> perApi = new java.util.TreeMap<>(sink.strings);
        perApi.keySet().removeIf(k -> !k.startsWith("tg:usage-api:"));
        assertThat(perApi).containsExactlyInAnyOrderEntriesOf(Map.of(
                "tg:usage-api:demo-mobile|mobile:m:" + minute, "3",
                "tg:usage-api:demo-mobile|mobile:m:" + (minute + 60), "1",
                "tg:usage-api:demo-mobile|mobile:h:" + minute, "4",
                "tg:usage-api:demo-mobile|mobile:d:" + day, "4",
                "tg:usage-api:demo-mobile|reports:m:" + minute, "1",
                "tg:usage-api:demo-mobile|reports:h:" + minute, "1",
                "tg:usage-api:demo-mobile|reports:d:" + day, "1",
                "tg:usage-api:other-app|mobile:m:" + minute, "1",
                "tg:usage-api:other-app|mobile:h:" + minute, "1",
                "tg:usage-api:other-app|mobile:d:" + day, "1"));
        // every absolute count written, in order, for the minute of demo-mobile's mobile API
        assertThat(sink.writes).filteredOn(w -> w.startsWith("usage tg:usage-api:demo-mobile|mobile:m:" + minute + " "))
                .containsExactly("usage tg:usage-api:demo-mobile|mobile:m:" + minute + " 1",
                        "usage tg:usage-api:demo-mobile|mobile:m:" + minute + " 2",
                        "usage tg:usage-api:demo-mobile|mobile:m:" + minute + " 3");
        // kept for the window plus usageKeep (35 days here), like the per-user counts
        assertThat(sink.expireAt.get("tg:usage-api:demo-mobile|mobile:d:" + day))
                .isEqualTo(day + 86_400 + Duration.ofDays(35).toSeconds());
        WindowStore<String, Long> store = driver.getWindowStore(ProjectionTopology.apiUsageStore(Window.HOUR));
        assertThat(store.fetch("demo-mobile|mobile", minute * 1000)).isEqualTo(4L);
        assertThat(store.fetch("-|mobile", minute * 1000)).isNull();
        // the per-(app, user) counts are unchanged by the second grouping
        assertThat(sink.strings).containsEntry("tg:usage:demo-mobile|alice:m:" + minute, "3")
                .containsEntry("tg:usage:demo-mobile|bob:m:" + minute, "1");
    }

    @Test
    void aReplayedWindowNeverLowersTheApiCount() {
        long minute = Instant.parse("2026-11-29T10:00:00Z").getEpochSecond();
        String key = RedisKeys.apiUsage("demo-mobile", "mobile", Window.MINUTE, minute);
        sink.usage(key, 5, minute + 120);
        Instant t = Instant.parse("2026-11-29T10:00:10Z");
        // a Streams restart that lost the count (say, a new state directory before restoring) writes 1: kept at 5
        input(Topics.CALLS).pipeInput("demo-mobile|alice", event(t, call("demo-mobile", "alice", "mobile", t)));
        assertThat(sink.strings).containsEntry(key, "5");
    }

    @Test
    void aCallLaterThanTheGraceIsDropped() {
        var calls = input(Topics.CALLS);
        Instant t = Instant.parse("2026-11-29T10:00:10Z");
        calls.pipeInput("demo-mobile|alice", event(t, call("alice", t)));
        calls.pipeInput("demo-mobile|alice", event(t, call("alice", t.plusSeconds(3600))));
        calls.pipeInput("demo-mobile|alice", event(t, call("alice", t.plusSeconds(1))));
        long minute = Instant.parse("2026-11-29T10:00:00Z").getEpochSecond();
        assertThat(sink.strings).containsEntry("tg:usage:demo-mobile|alice:m:" + minute, "1");
    }

    @Test
    void aPoisonRecordIsSkipped() {
        var raw = driver.createInputTopic(Topics.REVOCATIONS.name(),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer());
        raw.pipeInput("user:x", "{not json");
        input(Topics.REVOCATIONS).pipeInput("user:dave", event(NOW, user("dave", NOW)));
        assertThat(sink.strings).containsOnlyKeys("tg:rev:user:dave");
    }

    private static ApiCall call(String user, Instant time) {
        return call("demo-mobile", user, "mobile", time);
    }

    private static ApiCall call(String client, String user, String api, Instant time) {
        return new ApiCall(client, user, api, "/" + api + "/", "GET", client == null ? 401 : 200, 1000,
                client == null ? ApiCall.Outcome.UNAUTHORIZED : ApiCall.Outcome.PROXIED, time);
    }

}
