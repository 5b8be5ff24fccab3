package io.tollgate.tokenapi.portal;

import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.redis.RedisKeys;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An application's usage from revocation-stream's absolute counts ({@code tg:usage:{client}|{user}:{w}:{start}},
 * summed over users with SCAN) and its rate-limit standing from the gateway's {@code tg:rl:} counters of the
 * current windows (the busiest user against the plan's per-(application, user) limit).
 */
public final class UsageReader {
    /** How many recent windows of each size are shown: 60 minutes, 24 hours, 7 days. */
    static final Map<RedisKeys.Window, Integer> RECENT = Map.of(RedisKeys.Window.MINUTE, 60, RedisKeys.Window.HOUR, 24,
            RedisKeys.Window.DAY, 7);
    private final JedisPool pool;
    private final Clock clock;

    public UsageReader(JedisPool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    public record Point(long start, long calls) {
    }

    public record Standing(String api, String planId, String window, long limit, long busiestUserCalls) {
    }

    public record Usage(String clientId, Map<String, List<Point>> windows, List<Standing> rateLimits) {
    }

    public Usage read(String clientId, List<Map.Entry<String, PlanRecord>> plansByApi) {
        long now = clock.instant().getEpochSecond();
        Map<String, Map<Long, Long>> sums = new LinkedHashMap<>();
        Map<String, Long> busiest = new LinkedHashMap<>();
        try (Jedis jedis = pool.getResource()) {
            scan(jedis, "tg:usage:" + clientId + "|*", (key, value) -> {
                String[] tail = tail(key);
                if (tail != null) {
                    sums.computeIfAbsent(tail[0], w -> new LinkedHashMap<>()).merge(Long.parseLong(tail[1]), value,
                            Long::sum);
                }
            });
            scan(jedis, "tg:rl:" + clientId + "|*", (key, value) -> {
                String[] tail = tail(key);
                if (tail != null) {
                    RedisKeys.Window w = window(tail[0]);
                    if (w != null && Long.parseLong(tail[1]) == w.start(now)) {
                        busiest.merge(tail[0], value, Math::max);
                    }
                }
            });
        }
        Map<String, List<Point>> windows = new LinkedHashMap<>();
        for (RedisKeys.Window w : RedisKeys.Window.values()) {
            List<Point> points = new ArrayList<>();
            long current = w.start(now);
            int n = RECENT.get(w);
            for (int i = n - 1; i >= 0; i--) {
                long start = current - i * w.seconds();
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
                standings.add(new Standing(e.getKey(), p.planId(), w.code(), limit, busiest.getOrDefault(w.code(), 0L)));
            }
        }
        return new Usage(clientId, windows, standings);
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
