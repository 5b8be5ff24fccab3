package io.tollgate.gateway.state;

import io.tollgate.gateway.state.LimiterNodes.Node;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.RedisExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * App-wide limits and monthly quotas against a real Redis with two limiters ("nodes") and a clock the test moves:
 * several users of one application together, driven at twice the limit through both nodes at once, are admitted
 * exactly the limit; the month's quota holds until the month's end in UTC and starts over with the next month.
 */
class AppQuotaIT {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private static final String CLIENT = "app-q";
    private static final List<String> USERS = List.of("u1", "u2", "u3", "u4");
    /** 2027-01-15 12:02:10 UTC: two minutes into an hour, 16 days before the month's end. */
    private static final long T0 = LocalDate.of(2027, 1, 15).atStartOfDay().toEpochSecond(ZoneOffset.UTC)
            + 12 * 3_600 + 130;
    private static final long MONTH_END = LocalDate.of(2027, 2, 1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);

    @RegisterExtension
    final LimiterNodes nodes = new LimiterNodes(REDIS, T0);

    private static PlanRecord plan(long perUserMinute, long appPerMinute, long monthly) {
        return new PlanRecord("p-" + perUserMinute + "-" + appPerMinute + "-" + monthly, "mobile", "Test",
                Set.of("read"), perUserMinute, 0, 0, 3, false, Set.of("password"), 0, 0, appPerMinute, monthly,
                null);
    }

    /** Starts {@code calls} acquisitions for {@code user} in one pass of the node's loop; does not wait. */
    private static List<CompletableFuture<RateLimiter.Decision>> start(Node node, String user, PlanRecord plan,
                                                                       int calls) {
        return node.start(CLIENT, user, plan, calls);
    }

    private static RateLimiter.Decision one(Node node, String user, PlanRecord plan) throws Exception {
        return start(node, user, plan, 1).get(0).get(30, TimeUnit.SECONDS);
    }

    /**
     * Every user sends {@code callsPerUserAndNode} calls through each node, in {@code bursts} passes of each
     * node's loop, all users and both nodes at once; returns the decisions.
     */
    private static List<RateLimiter.Decision> loadBothNodes(Node a, Node b, PlanRecord plan, int bursts,
                                                            int callsPerBurst) throws Exception {
        List<CompletableFuture<RateLimiter.Decision>> futures = new ArrayList<>();
        for (int burst = 0; burst < bursts; burst++) {
            for (String user : USERS) {
                futures.addAll(start(a, user, plan, callsPerBurst));
                futures.addAll(start(b, user, plan, callsPerBurst));
            }
        }
        List<RateLimiter.Decision> decisions = new ArrayList<>();
        for (CompletableFuture<RateLimiter.Decision> future : futures) {
            RateLimiter.Decision decision = future.get(30, TimeUnit.SECONDS);
            assertThat(decision).as("a decision (not 'unknown')").isNotNull();
            decisions.add(decision);
        }
        return decisions;
    }

    private static long admitted(List<RateLimiter.Decision> decisions) {
        return decisions.stream().filter(RateLimiter.Decision::admitted).count();
    }

    private static long counter(String key) {
        try (Jedis jedis = REDIS.jedis()) {
            String value = jedis.get(key);
            return value == null ? 0 : Long.parseLong(value);
        }
    }

    private static String appMinute(long at) {
        return RedisKeys.appRateLimit(CLIENT, "m", QuotaWindow.MINUTE.start(at));
    }

    private static String month(long at) {
        return RedisKeys.appRateLimit(CLIENT, "mo", QuotaWindow.MONTH.start(at));
    }

    @Test
    void twoNodesAtTwiceTheAppWideLimitAdmitExactlyTheLimitOverAllUsers() throws Exception {
        Node a = nodes.node("a");
        Node b = nodes.node("b");
        PlanRecord plan = plan(1_000, 120, 0); // the users' own limits are far away: only the app's minute binds
        // 4 users x 2 nodes x 3 bursts x 10 calls = 240 calls, twice the limit, all in flight together
        List<RateLimiter.Decision> decisions = loadBothNodes(a, b, plan, 3, 10);
        assertThat(decisions).hasSize(240);
        assertThat(admitted(decisions)).isEqualTo(120);
        assertThat(counter(appMinute(T0))).isEqualTo(120);
        long perUser = 0;
        for (String user : USERS) {
            perUser += counter(RedisKeys.rateLimit(CLIENT, user, RedisKeys.Window.MINUTE, T0 - 10));
        }
        assertThat(perUser).as("the users' counters hold what the app's admitted").isEqualTo(120);
        long reset = 60 - 10; // T0 is 10 s into its minute
        for (RateLimiter.Decision decision : decisions) {
            if (!decision.admitted()) {
                assertThat(decision.retryAfterSeconds()).isEqualTo(reset);
                assertThat(decision.fields().asMap()).containsEntry("RateLimit", "\"app-minute\";r=0;t=" + reset)
                        .containsEntry("RateLimit-Policy", "\"minute\";q=1000;w=60, \"app-minute\";q=120;w=60");
            }
        }
        // every later call of every user on either node is refused until the minute ends
        for (String user : USERS) {
            assertThat(one(a, user, plan).admitted()).isFalse();
            assertThat(one(b, user, plan).admitted()).isFalse();
        }
        assertThat(counter(appMinute(T0))).isEqualTo(120);
        nodes.clock(T0 + reset); // the next minute
        assertThat(one(a, "u1", plan).admitted()).isTrue();
        assertThat(one(b, "u2", plan).admitted()).isTrue();
    }

    @Test
    void leasesOnALargeAppWideLimitStillAdmitExactlyWhatIsLeft() throws Exception {
        Node a = nodes.node("a");
        Node b = nodes.node("b");
        PlanRecord plan = plan(100_000, 10_000, 0);
        try (Jedis jedis = REDIS.jedis()) {
            jedis.set(appMinute(T0), "9800");
        }
        // 200 left; sequential calls rotate over both nodes and all users, four times what is left
        int admitted = 0;
        List<Long> steps = new ArrayList<>();
        long previous = 9_800;
        for (int i = 0; i < 800; i++) {
            Node node = i % 2 == 0 ? a : b;
            if (one(node, USERS.get((i / 2) % USERS.size()), plan).admitted()) {
                admitted++;
            }
            long c = counter(appMinute(T0));
            if (c != previous) {
                steps.add(c - previous);
                previous = c;
            }
        }
        assertThat(admitted).isEqualTo(200);
        assertThat(counter(appMinute(T0))).isEqualTo(10_000);
        // The first lease, alone, takes min(1% of 10,000, half of the 200 left); the second is divided between
        // the two leases of the application then known: min(100, 50) / 2; near the limit, single calls.
        assertThat(steps.get(0)).isEqualTo(100);
        assertThat(steps.get(1)).isEqualTo(25);
        assertThat(steps.get(steps.size() - 1)).isEqualTo(1);
        // leased calls were admitted without a claim (every refused call claims)
        assertThat(a.claims() + b.claims()).isLessThan(800);
        try (Jedis jedis = REDIS.jedis()) {
            // one lease per (node/loop, user) of this application, which is what each chunk was divided by
            assertThat(jedis.zcard(RedisKeys.appRateLimitHolders(CLIENT))).isEqualTo(8);
        }
    }

    @Test
    void theMonthlyQuotaHoldsAcrossNodesUntilTheMonthsEnd() throws Exception {
        Node a = nodes.node("a");
        Node b = nodes.node("b");
        PlanRecord plan = plan(0, 0, 100); // a monthly quota alone
        List<RateLimiter.Decision> decisions = loadBothNodes(a, b, plan, 5, 5);
        assertThat(decisions).hasSize(200);
        assertThat(admitted(decisions)).isEqualTo(100);
        assertThat(counter(month(T0))).isEqualTo(100);
        long reset = MONTH_END - T0;
        for (RateLimiter.Decision decision : decisions) {
            if (!decision.admitted()) {
                assertThat(decision.retryAfterSeconds()).isEqualTo(reset);
                assertThat(decision.fields().asMap()).containsEntry("RateLimit", "\"month\";r=0;t=" + reset)
                        .containsEntry("RateLimit-Policy", "\"month\";q=100;w=" + 31 * 86_400);
            }
        }
        try (Jedis jedis = REDIS.jedis()) {
            // the counter outlives the month by a few seconds (Redis counts real time; the test's clock stands)
            assertThat(jedis.ttl(month(T0))).isBetween(reset - 600, reset + 5);
        }
        // a week later, still the same month: refused on both nodes
        nodes.clock(T0 + 7 * 86_400);
        assertThat(one(a, "u1", plan).admitted()).isFalse();
        RateLimiter.Decision later = one(b, "u2", plan);
        assertThat(later.admitted()).isFalse();
        assertThat(later.retryAfterSeconds()).isEqualTo(MONTH_END - (T0 + 7 * 86_400));
        // the first second of February: a new month, a new quota
        nodes.clock(MONTH_END);
        RateLimiter.Decision february = one(a, "u3", plan);
        assertThat(february.admitted()).isTrue();
        assertThat(february.fields().asMap()).containsEntry("RateLimit-Policy", "\"month\";q=100;w=" + 28 * 86_400);
        assertThat(counter(month(MONTH_END))).isPositive();
        assertThat(counter(month(T0))).isEqualTo(100);
    }

    @Test
    void theHeadersNameTheTightestWindowAsTheAppsQuotaRunsOut() throws Exception {
        Node a = nodes.node("a");
        PlanRecord plan = plan(60, 1_000, 100_000);
        try (Jedis jedis = REDIS.jedis()) {
            jedis.set(month(T0), "99990"); // other users spent nearly all of the month
        }
        RateLimiter.Decision first = one(a, "u1", plan);
        assertThat(first.admitted()).isTrue();
        assertThat(first.fields().asMap()).containsEntry("RateLimit", "\"month\";r=9;t=" + (MONTH_END - T0));
        for (int i = 0; i < 9; i++) {
            assertThat(one(a, "u1", plan).admitted()).isTrue();
        }
        RateLimiter.Decision refused = one(a, "u2", plan);
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(MONTH_END - T0);

        REDIS.flushAll();
        Node b = nodes.node("b");
        RateLimiter.Decision fresh = one(b, "u1", plan);
        // the user's minute (59 left) is tighter than the app's minute (999) and the month (99,999)
        assertThat(fresh.fields().asMap()).containsEntry("RateLimit", "\"minute\";r=59;t=50")
                .containsEntry("RateLimit-Policy", "\"minute\";q=60;w=60, \"app-minute\";q=1000;w=60, "
                        + "\"month\";q=100000;w=" + 31 * 86_400);
    }
}
