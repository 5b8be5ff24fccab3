package io.tollgate.gateway.state;

import io.tollgate.gateway.core.RateLimitFields;

import java.util.List;

/**
 * The IETF draft-ietf-httpapi-ratelimit-headers fields: {@code RateLimit-Policy} lists every window of the plan,
 * {@code RateLimit} names the tightest one, the window with the fewest calls left (ties: the shortest window).
 */
final class RateLimitHeaders {
    private RateLimitHeaders() {
    }

    /** {@code "minute";q=60;w=60, "month";q=100000;w=2592000} ({@code w} of a month: the current month's length). */
    static String policy(List<Limit> limits, long now) {
        StringBuilder out = new StringBuilder();
        for (Limit limit : limits) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append('"').append(limit.name()).append("\";q=").append(limit.quota()).append(";w=")
                    .append(limit.window().seconds(now));
        }
        return out.toString();
    }

    /**
     * The index of the window with the fewest calls left ({@code quota - counts[i]}); among equals, the shortest
     * window, and among windows of one length the first listed.
     */
    static int tightest(List<Limit> limits, long[] counts) {
        int tightest = 0;
        long least = Long.MAX_VALUE;
        for (int i = 0; i < limits.size(); i++) {
            long remaining = limits.get(i).quota() - counts[i];
            if (remaining < least || remaining == least
                    && limits.get(i).window().compareTo(limits.get(tightest).window()) < 0) {
                least = remaining;
                tightest = i;
            }
        }
        return tightest;
    }

    /**
     * The fields of one answer: {@code RateLimit-Policy} ({@code policy}) and {@code RateLimit} for {@code limit}, with
     * {@code remaining} calls left in its window, which resets in {@code reset} seconds.
     */
    static RateLimitFields fields(String policy, Limit limit, long remaining, long reset) {
        return new RateLimitFields(policy, field(limit, remaining, reset));
    }

    /** Seconds until {@code limit}'s window ends (at least 1): a month's lasts until the month's end in UTC. */
    static long reset(Limit limit, long now) {
        return Math.max(1, limit.window().end(now) - now);
    }

    /** {@code "minute";r=59;t=37}: {@code remaining} calls in {@code limit}'s window, which resets in {@code reset} s. */
    static String field(Limit limit, long remaining, long reset) {
        return "\"" + limit.name() + "\";r=" + Math.max(0, remaining) + ";t=" + reset;
    }
}
