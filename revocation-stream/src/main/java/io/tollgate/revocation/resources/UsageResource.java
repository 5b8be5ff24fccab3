package io.tollgate.revocation.resources;

import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.redis.RedisKeys.Window;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.Pool;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Usage numbers for the portal's charts: {@code GET /usage/{clientId}?user=alice&window=m|h|d&last=N}
 * answers the absolute call counts of the last N windows, oldest first (a user's own, or the sum over all
 * users of the client when {@code user} is absent).
 */
@Path("/usage")
@Produces(MediaType.APPLICATION_JSON)
public final class UsageResource {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    private final Pool<Jedis> pool;

    public UsageResource(Pool<Jedis> pool) {
        this.pool = pool;
    }

    public record Point(long start, long count) {
    }

    public record Usage(String clientId, String user, String window, List<Point> points) {
    }

    @GET
    @Path("/{clientId}")
    public Response usage(@PathParam("clientId") String clientId, @QueryParam("user") String user,
                          @QueryParam("window") String windowCode, @QueryParam("last") Integer last) {
        Window window = Arrays.stream(Window.values())
                .filter(w -> w.code().equals(windowCode == null ? "m" : windowCode)).findFirst().orElse(null);
        int n = last == null ? 60 : last;
        if (window == null || n < 1 || n > 1_000 || !ID.matcher(clientId).matches()
                || (user != null && !ID.matcher(user).matches())) {
            return Response.status(400).entity(Map.of("error", "invalid_request",
                    "error_description", "window is m, h or d; last 1..1000; ids are plain names")).build();
        }
        long now = System.currentTimeMillis() / 1000;
        long first = window.start(now) - (n - 1) * window.seconds();
        Map<Long, Long> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            counts.put(first + i * window.seconds(), 0L);
        }
        try (Jedis jedis = pool.getResource()) {
            if (user != null) {
                String[] keys = counts.keySet().stream()
                        .map(start -> RedisKeys.usage(clientId, user, window, start)).toArray(String[]::new);
                List<String> values = jedis.mget(keys);
                int i = 0;
                for (Long start : List.copyOf(counts.keySet())) {
                    String v = values.get(i++);
                    counts.put(start, v == null ? 0 : Long.parseLong(v));
                }
            } else {
                String match = "tg:usage:" + clientId + "|*:" + window.code() + ":*";
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(match).count(500));
                    cursor = page.getCursor();
                    if (!page.getResult().isEmpty()) {
                        List<String> values = jedis.mget(page.getResult().toArray(String[]::new));
                        for (int i = 0; i < values.size(); i++) {
                            String key = page.getResult().get(i);
                            long start = Long.parseLong(key.substring(key.lastIndexOf(':') + 1));
                            if (counts.containsKey(start) && values.get(i) != null) {
                                counts.merge(start, Long.parseLong(values.get(i)), Long::sum);
                            }
                        }
                    }
                } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
            }
        }
        Map<Long, Long> ordered = new LinkedHashMap<>(counts);
        List<Point> points = ordered.entrySet().stream().map(e -> new Point(e.getKey(), e.getValue())).toList();
        return Response.ok(new Usage(clientId, user, window.code(), points)).build();
    }
}
