package io.tollgate.ops.e2e;

import io.tollgate.ops.e2e.LoginLoad.Kind;
import io.tollgate.ops.e2e.LoginLoad.Op;
import io.tollgate.ops.e2e.MobileClient.Answer;
import io.tollgate.ops.e2e.MobileClient.Tokens;
import io.tollgate.ops.stack.FreePortStacks;
import io.tollgate.cli.ServiceSpec;
import io.tollgate.ops.stack.Stack;
import io.tollgate.ops.stack.StackConfig;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ApiCall;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.PolicyDecision;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.events.TokenRefreshed;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.KafkaCluster;
import io.tollgate.testkit.RedisServer;
import io.tollgate.shared.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.Jedis;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.tollgate.ops.e2e.LoginLoad.password;
import static io.tollgate.ops.e2e.LoginLoad.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broker stopped, Redis lost and concurrent logins at the device limit, against the whole real stack (its own:
 * this class stops the broker and kills Redis, so it never shares {@link SharedStack}'s). The broker is a
 * {@link KafkaCluster} and Redis a {@link RedisServer} that this class starts and hands to the stack launcher, so
 * it can stop, kill and restart them; every service is the built jar in a child JVM. One boot serves the three
 * tests, which use disjoint bench users: the device-limit test users 1-20, the broker test 101-1100, the Redis test
 * 1101-1600 (load) and 1601-1614 (named tokens).
 *
 * <p>Every check counts: answers by status, events by the per-login marker (the access token's {@code jti} and
 * {@code sid}), usage counts in Redis, decisions per family. Nothing asserts a duration; the durations printed
 * (time to recover) are measurements for RELIABILITY.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {
    private static final int LIMIT = DemoRegistry.BASIC.maxDevices();
    private static final String CLIENT = DemoRegistry.CLIENT_ID;
    private static final ByteArrayOutputStream STACK_OUTPUT = new ByteArrayOutputStream();

    private static KafkaCluster kafka;
    private static RedisServer redis;
    private static Stack stack;
    private static StackConfig config;
    private static MobileClient client;

    @BeforeAll
    static void bootTheStackOnABrokerAndARedisThisClassControls() throws Exception {
        for (ServiceSpec spec : ServiceSpec.ALL) {
            assertThat(spec.jar(SharedStack.ROOT)).as("the fault suite runs the built jars: mvn -B verify builds them")
                    .isRegularFile();
        }
        long t0 = System.nanoTime();
        kafka = KafkaCluster.create(1).start(Duration.ofSeconds(120));
        redis = RedisServer.create().start();
        config = FreePortStacks.config(SharedStack.ROOT, "faults", "tollgate-faults-");
        config.externalKafka = kafka;
        config.redisPort = redis.port(); // the launcher reuses a Redis that answers on its address
        config.benchUsers = 1614;
        stack = new Stack(config, new PrintStream(STACK_OUTPUT, true, StandardCharsets.UTF_8));
        assertThat(stack.start()).as(STACK_OUTPUT.toString(StandardCharsets.UTF_8)).isTrue();
        client = new MobileClient(config);
        log("stack healthy after %d ms (load %s)", millisSince(t0), loadAverage());
    }

    @AfterAll
    static void stopEverything() {
        if (stack != null) {
            stack.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (redis != null) {
            redis.close();
        }
        log("load at the end: %s", loadAverage());
    }

    // --- concurrent logins at the device limit ----------------------------------------------------------

    @Test
    @Order(1)
    void concurrentLoginsBeyondTheDeviceLimitNeverLeaveMoreLiveFamiliesThanThePlanAllows() throws Exception {
        long t0 = System.nanoTime();
        Map<String, List<Tokens>> byUser = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 20; round++) {
                int logins = LIMIT + 1 + round % 5; // 4..8 concurrent logins of one user
                int n = 1 + round;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Answer>> answers = new ArrayList<>();
                for (int i = 0; i < logins; i++) {
                    answers.add(pool.submit(() -> {
                        go.await();
                        return client.login(user(n), password(n));
                    }));
                }
                go.countDown();
                List<Tokens> tokens = new ArrayList<>();
                for (Future<Answer> answer : answers) {
                    Answer a = answer.get();
                    assertThat(a.status()).as("login of %s: %s", user(n), a.error()).isEqualTo(200);
                    tokens.add(a.tokens());
                }
                byUser.put(user(n), tokens);
            }
        } finally {
            pool.shutdownNow();
        }
        Set<String> families = byUser.values().stream().flatMap(List::stream).map(Tokens::sid)
                .collect(Collectors.toSet());
        int total = families.size();

        // Settled: policy-worker decided every login (exactly once each), and its revocations reached Redis.
        Map<String, Long> decisions = eventually(Duration.ofSeconds(90), () -> {
            Map<String, Long> perFamily = countBy(TopicReader.readAll(config.kafkaBootstrap(),
                    Topics.POLICY_DECISIONS.name()), e -> e.data() instanceof PolicyDecision d
                    && families.contains(d.familyId()) ? d.familyId() : null);
            assertThat(perFamily.values()).as("decisions per family (never more than one)").allMatch(c -> c == 1);
            return perFamily.size() == total ? perFamily : null;
        }, "a decision for each of the " + total + " logins");
        assertThat(decisions).hasSize(total);
        eventually(Duration.ofSeconds(30), () -> byUser.keySet().stream().allMatch(u -> liveFamilies(u).size() <= LIMIT)
                ? true : null, "at most " + LIMIT + " live families per user in Redis");

        int admitted = 0;
        for (Map.Entry<String, List<Tokens>> entry : byUser.entrySet()) {
            List<String> live = liveFamilies(entry.getKey());
            assertThat(live).as("%s's live families after %d concurrent logins", entry.getKey(), entry.getValue().size())
                    .hasSize(LIMIT);
            List<String> newest = familiesOldestFirst(entry.getKey());
            assertThat(live).as("the survivors are the newest").containsExactlyElementsOf(
                    newest.subList(newest.size() - LIMIT, newest.size()));
            int ok = 0;
            for (Tokens tokens : entry.getValue()) {
                int status = client.call(tokens.access(), "/mobile/devices").status();
                assertThat(status).as("gateway for a family %s", live.contains(tokens.sid()) ? "alive" : "revoked")
                        .isEqualTo(live.contains(tokens.sid()) ? 200 : 401);
                ok += status == 200 ? 1 : 0;
            }
            assertThat(ok).isEqualTo(LIMIT);
            admitted += ok;
        }
        Map<String, Long> revoked = countBy(TopicReader.readAll(config.kafkaBootstrap(), Topics.REVOCATIONS.name()),
                e -> e.data() instanceof Revocation r && r.kind() == Revocation.Kind.FAMILY
                        && families.contains(r.familyId()) ? r.familyId() : null);
        Set<String> excess = byUser.values().stream().flatMap(List::stream).map(Tokens::sid)
                .filter(sid -> byUser.keySet().stream().noneMatch(u -> liveFamilies(u).contains(sid)))
                .collect(Collectors.toSet());
        assertThat(revoked).as("one revocation event per excess family").containsOnlyKeys(excess)
                .allSatisfy((family, events) -> assertThat(events).isEqualTo(1L));
        long revocationEvents = sum(revoked);
        log("6b: 20 rounds, %d concurrent logins (4-8 per round) of one user each beyond the limit of %d: %d decisions "
                        + "(1 per login), %d family revocation events for %d excess families; live families per user "
                        + "%d, gateway admitted %d of %d tokens; %d ms (load %s)", total, LIMIT, decisions.size(),
                revocationEvents, total - 20 * LIMIT, LIMIT, admitted, total, millisSince(t0), loadAverage());
    }

    /** Live families of (demo client, user) in Redis: created, not revoked (bench users have no not-before). */
    private static List<String> liveFamilies(String user) {
        try (Jedis jedis = redis.jedis()) {
            return familiesOldestFirst(user).stream().filter(f -> !jedis.exists(RedisKeys.revokedFamily(f))).toList();
        }
    }

    private static List<String> familiesOldestFirst(String user) {
        try (Jedis jedis = redis.jedis()) {
            return jedis.zrange(RedisKeys.families(user, CLIENT), 0, -1);
        }
    }

    // --- the broker stopped for 10 s under load ----------------------------------------------------------

    @Test
    @Order(2)
    void aBrokerStoppedForTenSecondsUnderLoadCostsNoRequestAndNoEventIsLostOrDoubled() throws Exception {
        long t0 = System.nanoTime();
        long dayBefore = RedisKeys.Window.DAY.start(Instant.now().getEpochSecond());
        long stoppedAt;
        long restartedAt;
        try (LoginLoad load = new LoginLoad(client, 101, 1000, 3, 25).start()) {
            load.awaitCycles(40, Duration.ofSeconds(120));
            load.phase("outage");
            long stopping = System.nanoTime();
            kafka.stopNode(0);
            stoppedAt = System.nanoTime();
            Thread.sleep(10_000);
            load.phase("restarting");
            long restarting = System.nanoTime();
            kafka.startNode(0, Duration.ofSeconds(180));
            restartedAt = System.nanoTime();
            load.phase("after");
            load.awaitCycles(load.cycles() + 60, Duration.ofSeconds(180));
            load.close();
            log("1: broker stop took %d ms, stopped for %d ms, restart until it answered %d ms; %d load cycles",
                    (stoppedAt - stopping) / 1_000_000, (restarting - stoppedAt) / 1_000_000,
                    (restartedAt - restarting) / 1_000_000, load.cycles());
            verifyBrokerOutage(load, dayBefore);
        }
        log("1: whole test %d ms (load %s)", millisSince(t0), loadAverage());
    }

    private void verifyBrokerOutage(LoginLoad load, long dayBefore) throws Exception {
        List<Op> ops = load.ops();
        String histogram = load.histogram(op -> true);
        log("1: answers %s", histogram);
        assertThat(ops).as("every answer during the outage too: %s", histogram)
                .allMatch(op -> op.answer().status() == 200);
        for (Kind kind : Kind.values()) {
            assertThat(ops).as("%s served while the broker was away", kind)
                    .anyMatch(op -> op.kind() == kind && op.phase().equals("outage"));
        }
        assertThat(ops.stream().filter(op -> op.kind() == Kind.LOGIN).collect(Collectors.groupingBy(Op::user,
                Collectors.counting())).values()).as("logins per user within the device limit (the load itself "
                + "causes no revocation)").allMatch(c -> c <= LIMIT);

        Map<String, Long> loginJtis = new HashMap<>();
        Map<String, Long> refreshJtis = new HashMap<>();
        Map<String, Long> callsPerUser = new HashMap<>();
        Map<String, Long> decisionsPerFamily = new HashMap<>();
        for (Op op : ops) {
            switch (op.kind()) {
                case LOGIN -> {
                    loginJtis.put(op.answer().tokens().jti(), 1L);
                    decisionsPerFamily.merge(op.family(), 1L, Long::sum);
                }
                case REFRESH -> {
                    refreshJtis.put(op.answer().tokens().jti(), 1L);
                    decisionsPerFamily.merge(op.family(), 1L, Long::sum);
                }
                case CALL -> callsPerUser.merge(op.user(), 1L, Long::sum);
            }
        }
        Set<String> users = callsPerUser.keySet();
        long day = RedisKeys.Window.DAY.start(Instant.now().getEpochSecond());
        long t0 = System.nanoTime();
        eventually(Duration.ofSeconds(120), () -> {
            List<Event<?>> auth = TopicReader.readAll(config.kafkaBootstrap(), Topics.AUTH_EVENTS.name());
            Map<String, Long> logins = countBy(auth, e -> e.data() instanceof LoginSucceeded l
                    && users.contains(l.userId()) ? l.jti() : null);
            Map<String, Long> refreshes = countBy(auth, e -> e.data() instanceof TokenRefreshed r
                    && users.contains(r.userId()) ? r.jti() : null);
            Map<String, Long> calls = countBy(TopicReader.readAll(config.kafkaBootstrap(), Topics.CALLS.name()),
                    e -> e.data() instanceof ApiCall c && CLIENT.equals(c.clientId()) && users.contains(c.userId())
                            ? c.userId() : null);
            Map<String, Long> decisions = countBy(TopicReader.readAll(config.kafkaBootstrap(),
                    Topics.POLICY_DECISIONS.name()), e -> e.data() instanceof PolicyDecision d
                    && users.contains(d.userId()) ? d.familyId() : null);
            Map<String, Long> usage = usage(users, dayBefore, day);
            // More than expected never heals: fail at once on any duplicate.
            assertNoneAbove("login.succeeded per jti", logins, loginJtis);
            assertNoneAbove("token.refreshed per jti", refreshes, refreshJtis);
            assertNoneAbove("api.call per user", calls, callsPerUser);
            assertNoneAbove("policy decisions per family", decisions, decisionsPerFamily);
            assertNoneAbove("usage count in Redis per user", usage, callsPerUser);
            boolean done = logins.equals(loginJtis) && refreshes.equals(refreshJtis) && calls.equals(callsPerUser)
                    && decisions.equals(decisionsPerFamily) && usage.equals(callsPerUser);
            return done ? true : null;
        }, "every event exactly once");
        long revocations = TopicReader.readAll(config.kafkaBootstrap(), Topics.REVOCATIONS.name()).stream()
                .filter(e -> e.data() instanceof Revocation r && users.contains(r.userId())).count();
        assertThat(revocations).as("no revocation for the load's users").isZero();
        log("1: exactly once after the restart (%d ms to catch up): %d login.succeeded, %d token.refreshed, %d api.call, "
                        + "%d policy decisions, usage counts of %d users in Redis = %d calls", millisSince(t0),
                loginJtis.size(), refreshJtis.size(), sum(callsPerUser), sum(decisionsPerFamily), users.size(),
                sum(callsPerUser));
    }

    /** revocation-stream's absolute per-(app, user) day counts (both days if the test straddled midnight UTC). */
    private static Map<String, Long> usage(Set<String> users, long dayBefore, long day) {
        Map<String, Long> usage = new HashMap<>();
        try (Jedis jedis = redis.jedis()) {
            for (String user : users) {
                long count = 0;
                for (long start : dayBefore == day ? List.of(day) : List.of(dayBefore, day)) {
                    String value = jedis.get(RedisKeys.usage(CLIENT, user, RedisKeys.Window.DAY, start));
                    count += value == null ? 0 : Long.parseLong(value);
                }
                if (count > 0) {
                    usage.put(user, count);
                }
            }
        }
        return usage;
    }

    private static void assertNoneAbove(String what, Map<String, Long> seen, Map<String, Long> expected) {
        for (Map.Entry<String, Long> e : seen.entrySet()) {
            assertThat(e.getValue()).as("%s: %s (a duplicate, or an event nobody caused)", what, e.getKey())
                    .isLessThanOrEqualTo(expected.getOrDefault(e.getKey(), 0L));
        }
    }

    // --- Redis killed and restarted empty under load -------------------------------------------------------

    @Test
    @Order(3)
    void redisKilledAndRestartedEmptyIsRebuiltFromKafkaAndNoRevokedTokenIsEverAccepted() throws Exception {
        RedisLoss loss = new RedisLoss(client, redis);
        loss.prepare(1601);
        loss.run(new LoginLoad(client, 1101, 500, 2, 30));
        loss.verify();
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    static <T> T eventually(Duration bound, java.util.concurrent.Callable<T> attempt, String what) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            T result = attempt.call();
            if (result != null) {
                return result;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + bound);
            }
            Thread.sleep(250);
        }
    }

    static Map<String, Long> countBy(List<Event<?>> events, Function<Event<?>, String> key) {
        Map<String, Long> counts = new HashMap<>();
        for (Event<?> event : events) {
            String k = key.apply(event);
            if (k != null) {
                counts.merge(k, 1L, Long::sum);
            }
        }
        return counts;
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static void log(String format, Object... args) {
        System.out.printf("faults: " + format + "%n", args);
    }
}
