package io.tollgate.gateway.state;

import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.redis.RedisKeys;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * What one holder (an event loop) leased for one (client, user): the windows it counts on, the calls it may still
 * admit without asking Redis, the unused quota it owes back, and the calls waiting for a claim. Confined to its
 * event loop: no locks.
 */
final class Lease {
    final String client;
    final String user;
    PlanRecord plan;
    List<Limit> limits;
    /** A plan seen on a call since the last claim: applied before the next one. */
    PlanRecord nextPlan;
    List<Limit> nextLimits;
    /** The {@code RateLimit-Policy} field of {@link #limits}. */
    String policy;
    /** This lease in the application's lease zset: "" without app-wide windows, null until first claimed. */
    String appMember;
    /** The application's lease zset (the global holders key, unread, without app-wide windows). */
    String appHolders;
    long[] starts;
    String[] keys;
    /** Counters after this holder's last claim. */
    long[] counts;
    /** Leased calls not yet admitted. */
    long left;
    /** Quota to give back on {@link #refundKeys} with the next script call. */
    long refund;
    String[] refundKeys;
    /** A claim is out: calls that find no lease wait for it. */
    boolean inFlight;
    long lastUsed;
    final ArrayDeque<Consumer<RateLimiter.Decision>> waiters = new ArrayDeque<>();

    Lease(String client, String user, PlanRecord plan, List<Limit> limits, long now) {
        this.client = client;
        this.user = user;
        reset(plan, limits, now);
    }

    private void reset(PlanRecord plan, List<Limit> limits, long now) {
        this.plan = plan;
        this.limits = limits;
        this.policy = RateLimitHeaders.policy(limits, now);
        boolean app = Limit.anyApp(limits);
        this.appMember = app ? null : "";
        this.appHolders = app ? RedisKeys.appRateLimitHolders(client) : RedisKeys.RATE_LIMIT_HOLDERS;
        this.starts = new long[limits.size()];
        this.keys = new String[limits.size()];
        this.counts = new long[limits.size()];
        for (int i = 0; i < limits.size(); i++) {
            Limit limit = limits.get(i);
            starts[i] = limit.window().start(now);
            keys[i] = limit.key(client, user, starts[i]);
        }
        this.left = 0;
    }

    /** True while every window of the lease is the one running at {@code now}. */
    boolean current(long now) {
        for (int i = 0; i < starts.length; i++) {
            if (limits.get(i).window().start(now) != starts[i]) {
                return false;
            }
        }
        return true;
    }

    /** Moves the unused lease to the refund of the next script call. */
    void giveBack() {
        if (left > 0) {
            if (refund > 0 && refundKeys != keys) {
                // an older refund is still pending on other keys: those windows are over, drop it
                refund = 0;
            }
            refund += left;
            refundKeys = keys;
            left = 0;
        }
    }

    /** Starts over on the current windows (or a changed plan), giving the unused lease back. */
    void renew(PlanRecord plan, List<Limit> limits, long now) {
        giveBack();
        reset(plan, limits, now);
    }

    /** Applies a plan seen since the last claim, and moves to the windows running at {@code now}. */
    void refresh(long now) {
        if (nextPlan != null) {
            if (!nextLimits.equals(limits)) {
                renew(nextPlan, nextLimits, now);
            }
            plan = nextPlan;
            nextPlan = null;
            nextLimits = null;
        }
        if (!current(now)) {
            renew(plan, limits, now);
        }
    }

    /** The window with the least quota left as this holder knows it. */
    int tightest() {
        return RateLimitHeaders.tightest(limits, counts);
    }
}
