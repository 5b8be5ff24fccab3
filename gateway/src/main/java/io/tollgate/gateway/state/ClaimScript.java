package io.tollgate.gateway.state;

import io.netty.channel.EventLoop;
import io.tollgate.shared.redis.RedisKeys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Lua script that claims quota for all of a lease's windows at once, the argument lists of its two uses (a claim,
 * a refund alone), and how it is sent: {@code EVALSHA} with the SHA-1 computed here (no {@code SCRIPT LOAD} round
 * trip), {@code EVAL} once when Redis answers {@code NOSCRIPT} (it restarted or flushed its scripts: nothing ran).
 */
final class ClaimScript {
    /**
     * KEYS = the n window counters, the n counters of the previous lease (refund targets), the holders zset, the
     * application's lease zset. ARGV = n, want, lease (1: add a lease chunk; 0: exactly {@code want}), refund,
     * holder, the lease's member in the application's zset ("" when no window is app-wide), then limit_i, ttl_i,
     * app_i (1: an app-wide window, whose chunk is divided among the application's leases). Returns {1, granted,
     * count_1, ..., count_n} (counts after the claim), {0, i, count_i} when window i is exhausted (nothing claimed),
     * or {2} for a refund alone ({@code want} = 0).
     */
    static final String SOURCE = """
            local n = tonumber(ARGV[1])
            local want = tonumber(ARGV[2])
            local lease = tonumber(ARGV[3])
            local refund = tonumber(ARGV[4])
            if refund > 0 then
              for i = 1, n do
                local c = tonumber(redis.call('GET', KEYS[n + i]) or '0')
                if c > 0 then
                  redis.call('DECRBY', KEYS[n + i], math.min(refund, c))
                end
              end
            end
            if want == 0 then
              return {2}
            end
            local holders = 1
            local leases = 1
            if lease > 0 then
              local now = tonumber(redis.call('TIME')[1])
              local hk = KEYS[2 * n + 1]
              redis.call('ZADD', hk, now, ARGV[5])
              redis.call('ZREMRANGEBYSCORE', hk, '-inf', now - 86400)
              redis.call('EXPIRE', hk, 90000)
              holders = redis.call('ZCARD', hk)
              if ARGV[6] ~= '' then
                local ak = KEYS[2 * n + 2]
                redis.call('ZADD', ak, now, ARGV[6])
                redis.call('ZREMRANGEBYSCORE', ak, '-inf', now - 86400)
                redis.call('EXPIRE', ak, 90000)
                leases = redis.call('ZCARD', ak)
              end
            end
            local grant = nil
            for i = 1, n do
              local limit = tonumber(ARGV[4 + 3 * i])
              local c = tonumber(redis.call('GET', KEYS[i]) or '0')
              local remaining = limit - c
              if remaining <= 0 then
                return {0, i, c}
              end
              local g = want
              if lease > 0 then
                local sharers = holders
                if ARGV[6 + 3 * i] == '1' then
                  sharers = leases
                end
                local chunk = math.floor(math.min(limit / 100, remaining / 2) / sharers)
                if chunk > g then
                  g = chunk
                end
              end
              if g > remaining then
                g = remaining
              end
              if grant == nil or g < grant then
                grant = g
              end
            end
            local out = {1, grant}
            for i = 1, n do
              local c = redis.call('INCRBY', KEYS[i], grant)
              if c == grant then
                redis.call('EXPIRE', KEYS[i], ARGV[5 + 3 * i])
              end
              out[#out + 1] = c
            end
            return out
            """;

    static final String SHA = sha1Hex(SOURCE);

    /** Reply status: quota granted. */
    static final long GRANTED = 1;
    /** Reply status: a window is exhausted, nothing claimed. */
    static final long EXHAUSTED = 0;

    private ClaimScript() {
    }

    /**
     * Claims {@code want} calls, plus a lease chunk, on {@code lease}'s windows, and gives back its pending refund
     * on the windows it was leased from; {@code now} in epoch seconds sets each counter's time to live.
     */
    static List<String> claim(Lease lease, String holder, int want, long now) {
        int n = lease.keys.length;
        List<String> command = new ArrayList<>(3 + 2 * n + 2 + 6 + 3 * n);
        command.add("EVALSHA");
        command.add(SHA);
        command.add(Integer.toString(2 * n + 2));
        for (String key : lease.keys) {
            command.add(key);
        }
        String[] refundKeys = lease.refund > 0 && lease.refundKeys != null ? lease.refundKeys : lease.keys;
        for (String key : refundKeys) {
            command.add(key);
        }
        command.add(RedisKeys.RATE_LIMIT_HOLDERS);
        command.add(lease.appHolders);
        command.add(Integer.toString(n));
        command.add(Integer.toString(want));
        command.add("1");
        command.add(Long.toString(lease.refund));
        command.add(holder);
        command.add(lease.appMember);
        for (int i = 0; i < n; i++) {
            Limit limit = lease.limits.get(i);
            command.add(Long.toString(limit.quota()));
            command.add(Long.toString(RateLimitHeaders.reset(limit, now) + 5));
            command.add(limit.app() ? "1" : "0");
        }
        return command;
    }

    /** Gives {@code lease}'s pending refund back on the windows it was leased from, and claims nothing. */
    static List<String> refund(Lease lease, String holder) {
        int n = lease.refundKeys.length;
        List<String> command = new ArrayList<>(3 + 2 * n + 2 + 6);
        command.add("EVALSHA");
        command.add(SHA);
        command.add(Integer.toString(2 * n + 2));
        for (String key : lease.refundKeys) {
            command.add(key); // unused in a refund-only call
        }
        for (String key : lease.refundKeys) {
            command.add(key);
        }
        command.add(RedisKeys.RATE_LIMIT_HOLDERS);
        command.add(RedisKeys.RATE_LIMIT_HOLDERS); // unread in a refund-only call
        command.add(Integer.toString(n));
        command.add("0");
        command.add("0");
        command.add(Long.toString(lease.refund));
        command.add(holder);
        command.add("");
        return command;
    }

    /** Sends {@code command} on {@code loop}; a {@code NOSCRIPT} answer sends it again as {@code EVAL}. */
    static void eval(LoopRedisClient redis, EventLoop loop, List<String> command, Consumer<Object> done) {
        redis.send(loop, command, reply -> {
            if (reply instanceof LoopRedisClient.RedisError error && error.message() != null
                    && error.message().startsWith("NOSCRIPT")) {
                List<String> eval = new ArrayList<>(command);
                eval.set(0, "EVAL"); // Redis restarted or flushed its scripts: nothing ran
                eval.set(1, SOURCE);
                redis.send(loop, eval, done);
                return;
            }
            done.accept(reply);
        });
    }

    private static String sha1Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
