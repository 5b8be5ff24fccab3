package io.tollgate.gateway.state;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.tollgate.gateway.core.RateLimitFields;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.redis.RedisEndpoint;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Per-(client, user) rate limits, app-wide limits and monthly quotas across every gateway node, with leased quota.
 *
 * <p>One Lua script claims quota for all of the plan's fixed windows (the user's minute, hour and day, the
 * application's minute and calendar month) at once and never beyond any window's limit, so the calls a node admits from what it claimed can never exceed the limit:
 * admitted ≤ limit by construction, on any number of nodes. Each event loop of each node is a lease
 * holder: it claims a chunk, admits calls locally from it (no Redis round trip), and claims again when the
 * chunk is spent. The chunk is {@code min(limit / 100, remaining / 2) / holders} (the live holders counted
 * in Redis; for an app-wide window, the application's (holder, user) leases counted in Redis), so the unused
 * leases of all holders together stay within 1% of the limit, and the chunk shrinks
 * with the remaining quota until it is the calls actually waiting, which is the old per-call exactness.
 * Calls that find no lease while a claim is in flight wait for it and are claimed together ({@code want});
 * a claim that finds a window exhausted rejects exactly the calls it was made for, and rejected calls never
 * count. A lease's unused quota goes back ({@code DECRBY}, in the next claim's script) when its windows roll
 * over, its plan changes, or it has been idle for {@link #IDLE_SECONDS}; what a lost node held simply
 * expires with its windows.
 */
public final class RateLimiter implements Managed {
    /** A lease unused this long gives its quota back (and is forgotten). */
    static final long IDLE_SECONDS = 60;
    private static final long SWEEP_SECONDS = 15;

    /** A call's verdict and the rate-limit fields of its answer. */
    public record Decision(boolean admitted, long retryAfterSeconds, RateLimitFields fields) {
    }

    private static final Decision UNLIMITED = new Decision(true, 0, RateLimitFields.NONE);

    private final LoopRedisClient redis;
    private final String node;
    private final LongSupplier clock;
    private final Counter admitted;
    private final Counter rejected;
    private final Counter claims;
    private volatile boolean running;
    /** The leases of one event loop (loop-confined: no locks). */
    private final FastThreadLocal<LeaseTable> leases = new FastThreadLocal<>();

    /** Claims over one Redis connection per event loop ({@link LoopRedisClient}); {@code node} names this gateway. */
    public RateLimiter(RedisEndpoint endpoint, Class<? extends Channel> channelClass, String node,
                       MetricRegistry metrics) {
        this(new LoopRedisClient(endpoint, channelClass), node, System::currentTimeMillis, metrics);
    }

    RateLimiter(LoopRedisClient redis, String node, LongSupplier clockMillis, MetricRegistry metrics) {
        this.redis = redis;
        this.node = node;
        this.clock = clockMillis;
        this.admitted = metrics.counter("gateway.rate-limit.admitted");
        this.rejected = metrics.counter("gateway.rate-limit.rejected");
        this.claims = metrics.counter("gateway.rate-limit.claims");
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    /**
     * Decides the call on {@code loop} (the request's event loop, whose leases it uses); {@code done} gets the
     * decision there, or null when the quota cannot be established (the caller answers 503: never unlimited), as
     * when the limiter is stopped or there is no loop to hold a lease.
     */
    public void acquireAsync(String client, String user, PlanRecord plan, EventLoop loop, Consumer<Decision> done) {
        if (Limit.none(plan)) {
            done.accept(UNLIMITED);
        } else if (!running || loop == null) {
            done.accept(null);
        } else if (loop.inEventLoop()) {
            acquireOnLoop(loop, client, user, plan, done);
        } else {
            loop.execute(() -> acquireOnLoop(loop, client, user, plan, done));
        }
    }

    /** Runs the idle/rollover sweep of {@code loop}'s leases now (tests; it also runs every 15 s). */
    Future<?> sweep(EventLoop loop) {
        return loop.submit(() -> {
            LeaseTable table = leases.get();
            if (table != null) {
                sweep(table);
            }
        });
    }

    private void sweep(LeaseTable table) {
        table.sweep(clock.getAsLong() / 1000, IDLE_SECONDS, lease -> refundOnly(table, lease));
    }

    private void acquireOnLoop(EventLoop loop, String client, String user, PlanRecord plan, Consumer<Decision> done) {
        LeaseTable table = leases.get();
        if (table == null) {
            LeaseTable created = new LeaseTable(loop, node + "/" + Thread.currentThread().getName());
            loop.scheduleAtFixedRate(() -> sweep(created), SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
            leases.set(created);
            table = created;
        }
        long now = clock.getAsLong() / 1000;
        Lease lease = table.lease(client, user, plan, now);
        lease.lastUsed = now;
        if (lease.plan != plan && lease.nextPlan != plan) {
            lease.nextPlan = plan; // applied before the next claim
            lease.nextLimits = Limit.of(plan);
        }
        lease.waiters.add(done);
        if (!lease.inFlight) {
            serve(table, lease, now);
        }
    }

    /** Admits waiting calls from the lease; claims for the rest (one claim in flight per lease). */
    private void serve(LeaseTable table, Lease lease, long now) {
        if (lease.waiters.isEmpty()) {
            return;
        }
        lease.refresh(now);
        while (lease.left > 0 && !lease.waiters.isEmpty()) {
            lease.left--;
            lease.waiters.poll().accept(admit(lease, now));
        }
        if (!lease.waiters.isEmpty()) {
            // at the end of this loop pass, so every call of the pass that finds no lease joins one claim
            lease.inFlight = true;
            table.loop.execute(() -> claim(table, lease));
        }
    }

    private void claim(LeaseTable table, Lease lease) {
        int want = lease.waiters.size();
        if (lease.appMember == null) {
            lease.appMember = table.holder + "|" + lease.user;
        }
        List<String> command = ClaimScript.claim(lease, table.holder, want, clock.getAsLong() / 1000);
        // Whatever happens to this call, its refund is not sent twice (a lost refund only costs quota).
        lease.refund = 0;
        lease.refundKeys = null;
        lease.inFlight = true;
        claims.inc();
        String[] sentKeys = lease.keys;
        ClaimScript.eval(redis, table.loop, command, reply -> claimed(table, lease, sentKeys, want, reply));
    }

    private void claimed(LeaseTable table, Lease lease, String[] sentKeys, int want, Object reply) {
        lease.inFlight = false;
        long now = clock.getAsLong() / 1000;
        List<?> result = reply instanceof List<?> list && !list.isEmpty() ? list : null;
        if (result == null) {
            // Redis cannot be asked: every waiting call is answered "unknown" (503), none is let through.
            failWaiters(lease);
            return;
        }
        try {
            if (((Number) result.get(0)).longValue() == ClaimScript.EXHAUSTED) {
                int window = ((Number) result.get(1)).intValue() - 1;
                for (int i = 0; i < want && !lease.waiters.isEmpty(); i++) {
                    lease.waiters.poll().accept(reject(lease, window, now));
                }
            } else {
                granted(lease, sentKeys, want, result, now);
            }
        } catch (RuntimeException e) {
            failWaiters(lease);
            return;
        }
        serve(table, lease, now); // calls that arrived while the claim was out
    }

    private void granted(Lease lease, String[] sentKeys, int want, List<?> result, long now) {
        long granted = ((Number) result.get(1)).longValue();
        boolean same = sentKeys == lease.keys;
        if (same) {
            for (int i = 0; i < lease.counts.length; i++) {
                lease.counts[i] = ((Number) result.get(2 + i)).longValue();
            }
        }
        long served = Math.min(want, granted);
        if (same) {
            lease.left += granted - served;
        } else if (granted > served) {
            // the lease moved on (plan change) while the claim was out: give the surplus back
            lease.refund += granted - served;
            lease.refundKeys = sentKeys;
        }
        for (long i = 0; i < served && !lease.waiters.isEmpty(); i++) {
            lease.waiters.poll().accept(admit(lease, now));
        }
        // The claim found less than the waiting calls: the last window it could fill is exhausted.
        for (long i = served; i < want && !lease.waiters.isEmpty(); i++) {
            lease.waiters.poll().accept(reject(lease, lease.tightest(), now));
        }
    }

    private static void failWaiters(Lease lease) {
        while (!lease.waiters.isEmpty()) {
            lease.waiters.poll().accept(null);
        }
    }

    private void refundOnly(LeaseTable table, Lease lease) {
        List<String> command = ClaimScript.refund(lease, table.holder);
        lease.refund = 0;
        ClaimScript.eval(redis, table.loop, command, reply -> { });
    }

    private Decision admit(Lease lease, long now) {
        admitted.inc();
        int tightest = lease.tightest();
        Limit limit = lease.limits.get(tightest);
        long remaining = limit.quota() - lease.counts[tightest] + lease.left;
        return new Decision(true, 0, RateLimitHeaders.fields(lease.policy, limit, remaining,
                RateLimitHeaders.reset(limit, now)));
    }

    private Decision reject(Lease lease, int window, long now) {
        rejected.inc();
        Limit limit = lease.limits.get(window);
        long reset = RateLimitHeaders.reset(limit, now);
        return new Decision(false, reset, RateLimitHeaders.fields(lease.policy, limit, 0, reset));
    }
}
