package io.tollgate.tokenapi.portal;

import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.redis.RedisKeys;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.Pool;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An application's usage from revocation-stream's absolute counts: per API from
 * {@code tg:usage-api:{client}|{api}:{w}:{start}} (keys known in advance, one MGET per API), and for the whole
 * application from {@code tg:usage:{client}|{user}:{w}:{start}} summed over users (SCAN). Its rate-limit
 * standing comes from the same per-(app, user) counts of the current windows: the gateway limits each
 * (application, user) pair, so the standing is the busiest users against the plan's per-user limit. The counts
 * include the calls the gateway refused, so a user above the limit is one whose calls are being refused.
 */
public final class UsageReader {
    /** How many recent windows of each size are shown: 60 minutes, 24 hours, 7 days. */
    static final Map<RedisKeys.Window, Integer> RECENT = Map.of(RedisKeys.Window.MINUTE, 60, RedisKeys.Window.HOUR, 24,
            RedisKeys.Window.DAY, 7);
    /** How many users the standing names per window. */
    static final int TOP_USERS = 5;
    private final Pool<Jedis> pool;
    private final Clock clock;

    public UsageReader(Pool<Jedis> pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    public record Point(long start, long calls) {
    }

    /** One subscribed API's calls (every call of the application that the gateway answered on that API). */
    public record ApiUsage(String api, String planId, Map<String, List<Point>> windows) {
    }

    public record UserCalls(String user, long calls) {
    }

    public record Standing(String api, String planId, String window, long limit, long busiestUserCalls,
                           List<UserCalls> topUsers) {
    }

    public record Usage(String clientId, Map<String, List<Point>> windows, List<ApiUsage> apis,
                        List<Standing> rateLimits) {
    }

    public Usage read(String clientId, List<Map.Entry<String, PlanRecord>> plansByApi) {
        long now = clock.instant().getEpochSecond();
        Map<String, Map<Long, Long>> sums = new LinkedHashMap<>();
        Map<String, Map<String, Long>> current = new LinkedHashMap<>();
        List<ApiUsage> apis = new ArrayList<>();
        try (Jedis jedis = pool.getResource()) {
            String users = RedisKeys.usagesOf(clientId);
            scan(jedis, glob(users) + "*", (key, value) -> {
                String[] tail = tail(key);
                if (tail == null || !key.startsWith(users)) {
                    return;
                }
                long start = Long.parseLong(tail[1]);
                sums.computeIfAbsent(tail[0], w -> new LinkedHashMap<>()).merge(start, value, Long::sum);
                if (start == window(tail[0]).start(now)) {
                    String user = key.substring(users.length(), key.length() - tail[0].length() - tail[1].length() - 2);
                    current.computeIfAbsent(tail[0], x -> new LinkedHashMap<>()).merge(user, value, Long::sum);
                }
            });
            for (Map.Entry<String, PlanRecord> e : plansByApi) {
                apis.add(new ApiUsage(e.getKey(), e.getValue().planId(), apiWindows(jedis, clientId, e.getKey(), now)));
            }
        }
        Map<String, List<Point>> windows = new LinkedHashMap<>();
        for (RedisKeys.Window w : RedisKeys.Window.values()) {
            List<Point> points = new ArrayList<>();
            for (long start : starts(w, now)) {
                points.add(new Point(start, sums.getOrDefault(w.code(), Map.of()).getOrDefault(start, 0L)));
            }
            windows.put(w.code(), points);
        }
        List<Standing> standings = new ArrayList<>();
        for (Map.Entry<String, PlanRecord> e : plansByApi) {
            PlanRecord p = e.getValue();
            for (RedisKeys.Window w : RedisKeys.Window.values()) {
                long limit = switch (w) {
                    case MINUTE -> p.callsPerMinute();
                    case HOUR -> p.callsPerHour();
                    case DAY -> p.callsPerDay();
                };
                List<UserCalls> top = current.getOrDefault(w.code(), Map.of()).entrySet().stream()
                        .map(u -> new UserCalls(u.getKey(), u.getValue()))
                        .sorted(Comparator.comparingLong(UserCalls::calls).reversed().thenComparing(UserCalls::user))
                        .limit(TOP_USERS).toList();
                standings.add(new Standing(e.getKey(), p.planId(), w.code(), limit,
                        top.isEmpty() ? 0 : top.get(0).calls(), top));
            }
        }
        return new Usage(clientId, windows, apis, standings);
    }

    /** The recent windows of one API: every key is known, so one MGET and no SCAN. */
    private static Map<String, List<Point>> apiWindows(Jedis jedis, String clientId, String api, long now) {
        List<String> keys = new ArrayList<>();
        for (RedisKeys.Window w : RedisKeys.Window.values()) {
            for (long start : starts(w, now)) {
                keys.add(RedisKeys.apiUsage(clientId, api, w, start));
            }
        }
        List<String> values = jedis.mget(keys.toArray(String[]::new));
        Map<String, List<Point>> windows = new LinkedHashMap<>();
        int i = 0;
        for (RedisKeys.Window w : RedisKeys.Window.values()) {
            List<Point> points = new ArrayList<>();
            for (long start : starts(w, now)) {
                String v = values.get(i++);
                points.add(new Point(start, v != null && v.matches("\\d{1,18}") ? Long.parseLong(v) : 0L));
            }
            windows.put(w.code(), points);
        }
        return windows;
    }

    /** Starts of the {@link #RECENT} windows of size {@code w} up to the current one, oldest first. */
    private static long[] starts(RedisKeys.Window w, long now) {
        int n = RECENT.get(w);
        long[] starts = new long[n];
        long current = w.start(now);
        for (int i = 0; i < n; i++) {
            starts[i] = current - (long) (n - 1 - i) * w.seconds();
        }
        return starts;
    }

    private interface KeyValue {
        void accept(String key, long value);
    }

    private static void scan(Jedis jedis, String pattern, KeyValue sink) {
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().match(pattern).count(500);
        do {
            ScanResult<String> page = jedis.scan(cursor, params);
            List<String> keys = page.getResult();
            if (!keys.isEmpty()) {
                List<String> values = jedis.mget(keys.toArray(String[]::new));
                for (int i = 0; i < keys.size(); i++) {
                    String v = values.get(i);
                    if (v != null && v.matches("\\d{1,18}")) {
                        sink.accept(keys.get(i), Long.parseLong(v));
                    }
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }

    /** A client id as a literal inside a SCAN MATCH pattern. */
    static String glob(String literal) {
        return literal.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    /** {@code [windowCode, start]} from a key ending in {@code :{w}:{start}}, or null. */
    private static String[] tail(String key) {
        int last = key.lastIndexOf(':');
        int before = last > 0 ? key.lastIndexOf(':', last - 1) : -1;
        if (before < 0) {
            return null;
        }
        String w = key.substring(before + 1, last);
        String start = key.substring(last + 1);
        return window(w) != null && start.matches("\\d{1,12}") ? new String[] {w, start} : null;
    }

    private static RedisKeys.Window window(String code) {
        for (RedisKeys.Window w : RedisKeys.Window.values()) {
            if (w.code().equals(code)) {
                return w;
            }
        }
        return null;
    }
}
