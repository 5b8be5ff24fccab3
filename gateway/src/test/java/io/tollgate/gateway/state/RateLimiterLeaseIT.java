package io.tollgate.gateway.state;

import io.tollgate.gateway.state.LimiterNodes.Node;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.redis.RedisKeys.Window;
import io.tollgate.testkit.RedisExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leased-quota rate limiter against a real Redis, with a clock the test moves: chunks are claimed and
 * spent locally, shrink as the remaining quota shrinks (down to the calls actually waiting), never claim
 * beyond the limit (two holders together admit exactly the limit), roll over with the window giving the
 * unused lease back to the longer windows, and an idle lease gives its quota back.
 */
class RateLimiterLeaseIT {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private static final String CLIENT = "app-1";
    /** 12:02:10 on some day: two minutes into an hour. */
    private static final long T0 = 1_800_000_000L - Math.floorMod(1_800_000_000L, 3_600) + 130;

    @RegisterExtension
    final LimiterNodes nodes = new LimiterNodes(REDIS, T0);

    private static PlanRecord plan(long perMinute, long perHour, long perDay) {
        return new PlanRecord("p-" + perMinute + "-" + perHour + "-" + perDay, "mobile", "Test", Set.of("read"),
                perMinute, perHour, perDay, 3, false, Set.of("password"));
    }

    /** {@code calls} acquisitions issued in one pass of the node's loop (so they wait for one claim together). */
    private static List<RateLimiter.Decision> acquire(Node node, String user, PlanRecord plan, int calls)
            throws Exception {
        List<CompletableFuture<RateLimiter.Decision>> futures = node.start(CLIENT, user, plan, calls);
        List<RateLimiter.Decision> decisions = new ArrayList<>();
        for (CompletableFuture<RateLimiter.Decision> future : futures) {
            decisions.add(future.get(30, TimeUnit.SECONDS));
        }
        return decisions;
    }

    private static RateLimiter.Decision one(Node node, String user, PlanRecord plan) throws Exception {
        return acquire(node, user, plan, 1).get(0);
    }

    private static long counter(String user, Window window, long at) {
        try (Jedis jedis = REDIS.jedis()) {
            String value = jedis.get(RedisKeys.rateLimit(CLIENT, user, window, window.start(at)));
            return value == null ? 0 : Long.parseLong(value);
        }
    }

    @Test
    void aLeaseIsClaimedOnceAndSpentLocally() throws Exception {
        Node node = nodes.node("a");
        PlanRecord plan = plan(10_000, 0, 0);
        RateLimiter.Decision first = one(node, "u1", plan);
        assertThat(first.admitted()).isTrue();
        // one holder: chunk = min(1% of 10,000, remaining / 2) = 100, claimed in Redis at once
        assertThat(counter("u1", Window.MINUTE, T0)).isEqualTo(100);
        assertThat(first.fields().asMap()).containsEntry("RateLimit-Policy", "\"minute\";q=10000;w=60")
                .containsEntry("RateLimit", "\"minute\";r=9999;t=50");
        for (int i = 0; i < 99; i++) {
            assertThat(one(node, "u1", plan).admitted()).isTrue();
        }
        assertThat(counter("u1", Window.MINUTE, T0)).isEqualTo(100);
        assertThat(node.claims()).isEqualTo(1);
        RateLimiter.Decision next = one(node, "u1", plan);
        assertThat(next.admitted()).isTrue();
        assertThat(node.claims()).isEqualTo(2);
        assertThat(counter("u1", Window.MINUTE, T0)).isEqualTo(200);
        assertThat(next.fields().asMap()).containsEntry("RateLimit", "\"minute\";r=9899;t=50");
        try (Jedis jedis = REDIS.jedis()) {
            assertThat(jedis.zrange(RedisKeys.RATE_LIMIT_HOLDERS, 0, -1)).hasSize(1)
                    .allSatisfy(holder -> assertThat(holder).startsWith("a/"));
        }
    }

    @Test
    void chunksShrinkNearTheLimitAndTwoHoldersAdmitExactlyTheLimit() throws Exception {
        Node a = nodes.node("a");
        Node b = nodes.node("b");
        PlanRecord plan = plan(10_000, 0, 0);
        try (Jedis jedis = REDIS.jedis()) {
            jedis.set(RedisKeys.rateLimit(CLIENT, "u2", Window.MINUTE, Window.MINUTE.start(T0)), "9900");
        }
        int admitted = 0;
        int rejectedA = 0;
        int rejectedB = 0;
        List<Long> counters = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            boolean onA = i % 2 == 0;
            RateLimiter.Decision decision = one(onA ? a : b, "u2", plan);
            if (decision.admitted()) {
                admitted++;
            } else {
                assertThat(decision.retryAfterSeconds()).isEqualTo(50);
                assertThat(decision.fields().asMap()).containsEntry("RateLimit", "\"minute\";r=0;t=50");
                if (onA) {
                    rejectedA++;
                } else {
                    rejectedB++;
                }
            }
            counters.add(counter("u2", Window.MINUTE, T0));
        }
        assertThat(admitted).isEqualTo(100);
        assertThat(rejectedA + rejectedB).isEqualTo(300);
        assertThat(rejectedA).isPositive();
        assertThat(rejectedB).isPositive();
        assertThat(counter("u2", Window.MINUTE, T0)).isEqualTo(10_000);
        // Successive claims shrink: the first takes 50 (one holder, half of the 100 left), then ever less,
        // down to single calls; a fixed chunk would have needed two or three claims.
        List<Long> steps = new ArrayList<>();
        long previous = 9_900;
        for (long c : counters) {
            if (c != previous) {
                steps.add(c - previous);
                previous = c;
            }
        }
        assertThat(steps.get(0)).isEqualTo(50);
        assertThat(steps.get(steps.size() - 1)).isEqualTo(1);
        for (int i = 1; i < steps.size(); i++) {
            assertThat(steps.get(i)).as("claims %s", steps).isLessThanOrEqualTo(steps.get(i - 1));
        }
        assertThat(a.claims() + b.claims()).isGreaterThanOrEqualTo(steps.size());
        assertThat(steps.size()).isGreaterThan(6);
    }

    @Test
    void waitingCallsAreClaimedTogetherAndOnlyAdmittedOnesCount() throws Exception {
        Node node = nodes.node("a");
        PlanRecord plan = plan(60, 0, 0); // 1% of 60 is below one call: every claim is exactly the calls waiting
        List<RateLimiter.Decision> first = acquire(node, "u3", plan, 50);
        assertThat(first).allMatch(RateLimiter.Decision::admitted);
        assertThat(counter("u3", Window.MINUTE, T0)).isEqualTo(50);
        List<RateLimiter.Decision> second = acquire(node, "u3", plan, 50);
        assertThat(second.stream().filter(RateLimiter.Decision::admitted).count()).isEqualTo(10);
        assertThat(second.stream().filter(d -> !d.admitted()).count()).isEqualTo(40);
        assertThat(counter("u3", Window.MINUTE, T0)).isEqualTo(60);
        assertThat(node.claims()).isEqualTo(2);
        assertThat(one(node, "u3", plan).admitted()).isFalse();
        assertThat(counter("u3", Window.MINUTE, T0)).isEqualTo(60);
    }

    @Test
    void aWindowRolloverGivesTheUnusedLeaseBackToTheLongerWindows() throws Exception {
        Node node = nodes.node("a");
        PlanRecord plan = plan(10_000, 100_000, 0);
        for (int i = 0; i < 10; i++) {
            assertThat(one(node, "u4", plan).admitted()).isTrue();
        }
        // claimed min(100, 5000) for the minute and min(1000, 50000) for the hour: 100 in both
        assertThat(counter("u4", Window.MINUTE, T0)).isEqualTo(100);
        assertThat(counter("u4", Window.HOUR, T0)).isEqualTo(100);
        long t1 = T0 + 60; // the next minute, the same hour
        nodes.clock(t1);
        RateLimiter.Decision next = one(node, "u4", plan);
        assertThat(next.admitted()).isTrue();
        // the 90 unused calls went back: the old minute holds the 10 admitted, the hour 10 + the new lease
        assertThat(counter("u4", Window.MINUTE, T0)).isEqualTo(10);
        assertThat(counter("u4", Window.MINUTE, t1)).isEqualTo(100);
        assertThat(counter("u4", Window.HOUR, t1)).isEqualTo(110);
        assertThat(next.fields().asMap()).containsEntry("RateLimit", "\"minute\";r=9999;t=50");
        assertThat(node.claims()).isEqualTo(2);
    }

    @Test
    void anIdleLeaseGivesItsQuotaBack() throws Exception {
        Node node = nodes.node("a");
        PlanRecord plan = plan(0, 100_000, 0);
        assertThat(one(node, "u5", plan).admitted()).isTrue();
        assertThat(counter("u5", Window.HOUR, T0)).isEqualTo(1_000);
        nodes.clock(T0 + RateLimiter.IDLE_SECONDS + 1); // same hour, idle for longer than the bound
        node.limiter().sweep(node.loop()).get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (counter("u5", Window.HOUR, T0) != 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(counter("u5", Window.HOUR, T0)).isEqualTo(1);
    }
}
