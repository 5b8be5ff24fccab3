package io.tollgate.gateway.state;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.redis.RedisKeys.Window;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import io.dropwizard.lifecycle.Managed;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Exact per-(client, user) rate limits across every gateway node: one Lua script in Redis checks all of the
 * plan's fixed windows (minute, hour, day) and increments them only if none is exhausted, atomically, so
 * rejected calls never count and N nodes together admit exactly the limit. Calls are queued and a sender
 * thread pipelines every queued script call in one round trip, so the event loops never wait on Redis and
 * Redis reads many commands per syscall.
 */
public final class RateLimiter implements Managed {
    /**
     * KEYS = one counter per window; ARGV = limit_1, ttl_1, limit_2, ttl_2, ...
     * Returns {1, count_1, ..., count_n} when admitted, {0, i, count_i} when window i is exhausted.
     */
    static final String SCRIPT = """
            for i = 1, #KEYS do
              local c = tonumber(redis.call('GET', KEYS[i]) or '0')
              if c >= tonumber(ARGV[2 * i - 1]) then
                return {0, i, c}
              end
            end
            local out = {1}
            for i = 1, #KEYS do
              local c = redis.call('INCR', KEYS[i])
              if c == 1 then
                redis.call('EXPIRE', KEYS[i], ARGV[2 * i])
              end
              out[#out + 1] = c
            end
            return out
            """;

    public record Decision(boolean admitted, long retryAfterSeconds, Map<String, String> headers) {
    }

    private record Limit(Window window, long quota, String name) {
    }

    /** One prepared script call waiting for the sender thread. */
    private record Call(List<Limit> limits, List<String> keys, List<String> args, long[] resets,
                        Consumer<Decision> done) {
    }

    private static final int MAX_BATCH = 512;
    private final BlockingQueue<Call> queue = new LinkedBlockingQueue<>(100_000);
    private volatile boolean running;
    private Thread sender;

    /** SHA-1 of {@link #SCRIPT}, computed here: EVALSHA needs no SCRIPT LOAD round trip; NOSCRIPT falls back to EVAL. */
    static final String SCRIPT_SHA = sha1Hex(SCRIPT);

    private final JedisPool pool;
    private volatile LoopRedisClient loopClient;
    private final LongSupplier clock;
    private final Counter admitted;
    private final Counter rejected;
    private volatile String sha;

    public RateLimiter(JedisPool pool, MetricRegistry metrics) {
        this(pool, System::currentTimeMillis, metrics);
    }

    RateLimiter(JedisPool pool, LongSupplier clockMillis, MetricRegistry metrics) {
        this.pool = pool;
        this.clock = clockMillis;
        this.admitted = metrics.counter("gateway.rate-limit.admitted");
        this.rejected = metrics.counter("gateway.rate-limit.rejected");
    }

    /** Sends script calls from the request's own event loop instead of the sender thread. */
    public void useEventLoops(String host, int port, String password, int database, java.time.Duration timeout,
                              Class<? extends io.netty.channel.Channel> channelClass) {
        this.loopClient = new LoopRedisClient(host, port, password, database, timeout, channelClass);
    }

    @Override
    public void start() {
        running = true;
        sender = new Thread(this::sendLoop, "rate-limit-sender");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (sender != null) {
            sender.interrupt();
            sender.join(2_000);
        }
        for (Call call = queue.poll(); call != null; call = queue.poll()) {
            call.done().accept(null);
        }
    }

    /**
     * Queues the call; {@code done} gets the decision on the sender thread, or null when Redis cannot be asked
     * (the caller answers 503: never unlimited).
     */
    public void acquireAsync(String client, String user, PlanRecord plan, EventLoop loop, Consumer<Decision> done) {
        List<Limit> limits = limits(plan);
        if (limits.isEmpty()) {
            done.accept(new Decision(true, 0, Map.of()));
            return;
        }
        Call call = prepare(client, user, limits, done);
        LoopRedisClient direct = loopClient;
        if (direct != null && loop != null) {
            if (!running) {
                done.accept(null);
            } else if (loop.inEventLoop()) {
                evalOnLoop(direct, loop, call, false);
            } else {
                loop.execute(() -> evalOnLoop(direct, loop, call, false));
            }
            return;
        }
        if (!running || !queue.offer(call)) {
            done.accept(null);
        }
    }

    private void evalOnLoop(LoopRedisClient direct, EventLoop loop, Call call, boolean withSource) {
        List<String> command = new ArrayList<>(3 + call.keys().size() + call.args().size());
        command.add(withSource ? "EVAL" : "EVALSHA");
        command.add(withSource ? SCRIPT : SCRIPT_SHA);
        command.add(Integer.toString(call.keys().size()));
        command.addAll(call.keys());
        command.addAll(call.args());
        direct.send(loop, command, reply -> {
            if (reply instanceof LoopRedisClient.RedisError error && !withSource
                    && error.message() != null && error.message().startsWith("NOSCRIPT")) {
                evalOnLoop(direct, loop, call, true); // Redis restarted or flushed its scripts: nothing ran
                return;
            }
            Decision decision = null;
            if (reply instanceof List<?> result) {
                try {
                    decision = decide(call.limits(), call.resets(), result);
                } catch (RuntimeException e) {
                    decision = null;
                }
            }
            call.done().accept(decision);
        });
    }

    private static String sha1Hex(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(40);
            for (byte b : digest) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Call prepare(String client, String user, List<Limit> limits, Consumer<Decision> done) {
        long now = clock.getAsLong() / 1000;
        List<String> keys = new ArrayList<>(limits.size());
        List<String> args = new ArrayList<>(limits.size() * 2);
        long[] resets = new long[limits.size()];
        for (int i = 0; i < limits.size(); i++) {
            Limit limit = limits.get(i);
            long start = limit.window().start(now);
            resets[i] = Math.max(1, start + limit.window().seconds() - now);
            keys.add(RedisKeys.rateLimit(client, user, limit.window(), start));
            args.add(Long.toString(limit.quota()));
            args.add(Long.toString(resets[i] + 5));
        }
        return new Call(limits, keys, args, resets, done);
    }

    private void sendLoop() {
        List<Call> batch = new ArrayList<>(MAX_BATCH);
        while (running) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            List<?>[] results = new List<?>[batch.size()];
            try (Jedis jedis = pool.getResource()) {
                evalAll(jedis, batch, results);
            } catch (RuntimeException e) {
                // Redis unreachable: every waiting call is answered "unknown" (503), none is let through.
            }
            for (int i = 0; i < batch.size(); i++) {
                Call call = batch.get(i);
                Decision decision;
                try {
                    decision = results[i] == null ? null : decide(call.limits(), call.resets(), results[i]);
                } catch (RuntimeException e) {
                    decision = null;
                }
                call.done().accept(decision);
            }
            batch.clear();
        }
    }

    private void evalAll(Jedis jedis, List<Call> batch, List<?>[] results) {
        if (sha == null) {
            sha = jedis.scriptLoad(SCRIPT);
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            Pipeline pipeline = jedis.pipelined();
            List<Response<Object>> responses = new ArrayList<>(batch.size());
            for (Call call : batch) {
                responses.add(pipeline.evalsha(sha, call.keys(), call.args()));
            }
            pipeline.sync();
            boolean noScript = false;
            for (int i = 0; i < responses.size(); i++) {
                try {
                    results[i] = (List<?>) responses.get(i).get();
                } catch (JedisDataException e) {
                    if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
                        noScript = true; // nothing ran: Redis restarted or flushed its scripts
                        break;
                    }
                    results[i] = null;
                }
            }
            if (!noScript) {
                return;
            }
            sha = jedis.scriptLoad(SCRIPT);
        }
    }

    private Decision decide(List<Limit> limits, long[] resets, List<?> result) {
        String policy = policyHeader(limits);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("RateLimit-Policy", policy);
        if (((Number) result.get(0)).longValue() == 1) {
            admitted.inc();
            int tightest = 0;
            long least = Long.MAX_VALUE;
            for (int i = 0; i < limits.size(); i++) {
                long remaining = limits.get(i).quota() - ((Number) result.get(i + 1)).longValue();
                if (remaining < least) {
                    least = remaining;
                    tightest = i;
                }
            }
            headers.put("RateLimit", "\"" + limits.get(tightest).name() + "\";r=" + Math.max(0, least) + ";t="
                    + resets[tightest]);
            return new Decision(true, 0, headers);
        }
        rejected.inc();
        int window = ((Number) result.get(1)).intValue() - 1;
        headers.put("RateLimit", "\"" + limits.get(window).name() + "\";r=0;t=" + resets[window]);
        return new Decision(false, resets[window], headers);
    }

    private static List<Limit> limits(PlanRecord plan) {
        List<Limit> limits = new ArrayList<>(3);
        if (plan.callsPerMinute() > 0) {
            limits.add(new Limit(Window.MINUTE, plan.callsPerMinute(), "minute"));
        }
        if (plan.callsPerHour() > 0) {
            limits.add(new Limit(Window.HOUR, plan.callsPerHour(), "hour"));
        }
        if (plan.callsPerDay() > 0) {
            limits.add(new Limit(Window.DAY, plan.callsPerDay(), "day"));
        }
        return limits;
    }

    /** IETF draft-ietf-httpapi-ratelimit-headers: {@code "minute";q=60;w=60, "hour";q=1000;w=3600}. */
    private static String policyHeader(List<Limit> limits) {
        StringBuilder out = new StringBuilder();
        for (Limit limit : limits) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append('"').append(limit.name()).append("\";q=").append(limit.quota()).append(";w=")
                    .append(limit.window().seconds());
        }
        return out.toString();
    }
}
