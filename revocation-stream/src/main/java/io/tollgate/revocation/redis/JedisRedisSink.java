package io.tollgate.revocation.redis;

import io.tollgate.shared.redis.LuaScript;
import io.tollgate.shared.redis.RedisKeys;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link RedisSink} on Jedis: each write is one Lua script, so compare-and-set and PUBLISH are atomic; scripts go by
 * digest ({@link LuaScript}).
 */
public final class JedisRedisSink implements RedisSink {

    /** A not-before time: only a later one replaces it. */
    private static final LuaScript NOT_BEFORE = new LuaScript(revocationWrite("tonumber(redis.call('GET', KEYS[1]) or '-1')",
            "tonumber(ARGV[1]) > cur", ""));

    /** A revocation marker: the first one stays; KEYS[2], the family hash ('' for none), is marked revoked too. */
    private static final LuaScript MARKER = new LuaScript(revocationWrite("redis.call('GET', KEYS[1])", "not cur", """
            if KEYS[2] ~= '' and redis.call('EXISTS', KEYS[2]) == 1 then
              redis.call('HSET', KEYS[2], 'revoked', ARGV[1])
            end
            """));

    /** ARGV: decidedAt, channel, then field/value pairs. */
    private static final LuaScript DECISION = new LuaScript("""
            local cur = tonumber(redis.call('HGET', KEYS[1], 'decidedAt') or '-1')
            if tonumber(ARGV[1]) < cur then return 0 end
            local changed = false
            for i = 3, #ARGV, 2 do
              if redis.call('HGET', KEYS[1], ARGV[i]) ~= ARGV[i + 1] then changed = true end
            end
            if not changed then return 0 end
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], unpack(ARGV, 3))
            redis.call('PUBLISH', ARGV[2], KEYS[1])
            return 1
            """);

    /**
     * KEYS: family hash, rt key, families zset, family-clients set. ARGV: generation, user, client, hash,
     * createdAt ('' for a refresh), expiresAt, scope, subscriptionId, planId, familyId, audience ('' for none),
     * jkt (the DPoP binding, '' for none).
     */
    private static final LuaScript FAMILY = new LuaScript("""
            redis.call('SET', KEYS[2], ARGV[10] .. ' ' .. ARGV[1], 'EXAT', ARGV[6])
            local cur = tonumber(redis.call('HGET', KEYS[1], 'generation') or '-1')
            if tonumber(ARGV[1]) > cur then
              redis.call('HSET', KEYS[1], 'user', ARGV[2], 'client', ARGV[3], 'generation', ARGV[1],
                'hash', ARGV[4], 'expiresAt', ARGV[6], 'scope', ARGV[7])
              if ARGV[8] ~= '' then redis.call('HSET', KEYS[1], 'subscriptionId', ARGV[8]) end
              if ARGV[9] ~= '' then redis.call('HSET', KEYS[1], 'planId', ARGV[9]) end
              redis.call('EXPIREAT', KEYS[1], ARGV[6])
            end
            if ARGV[5] ~= '' then
              redis.call('HSETNX', KEYS[1], 'createdAt', ARGV[5])
              if ARGV[11] ~= '' then redis.call('HSETNX', KEYS[1], 'audience', ARGV[11]) end
              if ARGV[12] ~= '' then redis.call('HSETNX', KEYS[1], 'jkt', ARGV[12]) end
              redis.call('ZADD', KEYS[3], 'NX', ARGV[5], ARGV[10])
              redis.call('SADD', KEYS[4], ARGV[3])
              redis.call('EXPIREAT', KEYS[3], ARGV[6], 'GT')
              redis.call('EXPIREAT', KEYS[4], ARGV[6], 'GT')
              if redis.call('TTL', KEYS[3]) == -1 then redis.call('EXPIREAT', KEYS[3], ARGV[6]) end
              if redis.call('TTL', KEYS[4]) == -1 then redis.call('EXPIREAT', KEYS[4], ARGV[6]) end
            end
            return 1
            """);

    private static final LuaScript USAGE = new LuaScript("""
            local cur = tonumber(redis.call('GET', KEYS[1]) or '-1')
            if tonumber(ARGV[1]) > cur then
              redis.call('SET', KEYS[1], ARGV[1], 'EXAT', ARGV[2])
              return 1
            end
            return 0
            """);

    /** KEYS: projection hash. ARGV: rebuildId, staleAfterMillis, force (1/0). Times are Redis's own (TIME). */
    private static final LuaScript CLAIM = new LuaScript("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            if ARGV[3] ~= '1' then
              local state = redis.call('HGET', KEYS[1], 'state')
              if state == 'ready' then return 0 end
              if state then
                local beat = tonumber(redis.call('HGET', KEYS[1], 'updatedAt') or '0') or 0
                if now - beat < tonumber(ARGV[2]) then return 0 end
              end
            end
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], 'state', 'rebuilding', 'progress', '0', 'rebuild', ARGV[1],
              'updatedAt', tostring(now))
            return 1
            """);

    /** KEYS: projection hash. ARGV: rebuildId, state, progress. */
    private static final LuaScript PROGRESS = new LuaScript("""
            if redis.call('HGET', KEYS[1], 'rebuild') ~= ARGV[1] then return 0 end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('HSET', KEYS[1], 'state', ARGV[2], 'progress', ARGV[3], 'updatedAt', tostring(now))
            return 1
            """);

    /**
     * A revocation write (KEYS[1]: the key; ARGV: value, expireAt, channel). When the event is news ({@code news}, a
     * Lua condition on {@code cur}, the value {@code read} found), the key is set until expireAt, {@code onNews} runs
     * and the key is announced on the channel; otherwise only the key's expiry is extended, so a replayed or older
     * event changes nothing else.
     */
    private static String revocationWrite(String read, String news, String onNews) {
        return """
                local cur = %s
                if %s then
                  redis.call('SET', KEYS[1], ARGV[1], 'EXAT', ARGV[2])
                %s
                  redis.call('PUBLISH', ARGV[3], KEYS[1])
                  return 1
                end
                redis.call('EXPIREAT', KEYS[1], ARGV[2], 'GT')
                return 0
                """.formatted(read, news, onNews);
    }

    private final Pool<Jedis> pool;

    public JedisRedisSink(Pool<Jedis> pool) {
        this.pool = pool;
    }

    @Override
    public boolean notBefore(String key, long notBefore, long expireAt) {
        return eval(NOT_BEFORE, List.of(key), List.of(Long.toString(notBefore), Long.toString(expireAt),
                RedisKeys.INVALIDATION_CHANNEL));
    }

    @Override
    public boolean marker(String key, long revokedAt, long expireAt) {
        String familyHash = key.startsWith("tg:rev:family:")
                ? RedisKeys.family(key.substring("tg:rev:family:".length())) : "";
        return eval(MARKER, List.of(key, familyHash), List.of(Long.toString(revokedAt), Long.toString(expireAt),
                RedisKeys.INVALIDATION_CHANNEL));
    }

    @Override
    public boolean decision(String key, Map<String, String> fields, long decidedAt) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(decidedAt));
        args.add(RedisKeys.INVALIDATION_CHANNEL);
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        return eval(DECISION, List.of(key), args);
    }

    @Override
    public void family(FamilyWrite f) {
        eval(FAMILY,
                List.of(RedisKeys.family(f.familyId()), RedisKeys.refreshHash(f.refreshHash()),
                        RedisKeys.families(f.userId(), f.clientId()), RedisKeys.familyClients(f.userId())),
                List.of(Integer.toString(f.generation()), f.userId(), f.clientId(), f.refreshHash(),
                        f.createdAt() == null ? "" : Long.toString(f.createdAt()), Long.toString(f.expiresAt()),
                        f.scope(), nz(f.subscriptionId()), nz(f.planId()), f.familyId(), nz(f.audience()),
                        nz(f.jkt())));
    }

    @Override
    public void usage(String key, long count, long expireAt) {
        eval(USAGE, List.of(key), List.of(Long.toString(count), Long.toString(expireAt)));
    }

    @Override
    public Optional<String> projectionState() {
        try (Jedis jedis = pool.getResource()) {
            return Optional.ofNullable(jedis.hget(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD));
        }
    }

    @Override
    public boolean claimRebuild(String rebuildId, Duration staleAfter, boolean force) {
        return eval(CLAIM, List.of(RedisKeys.PROJECTION),
                List.of(rebuildId, Long.toString(staleAfter.toMillis()), force ? "1" : "0"));
    }

    @Override
    public boolean rebuildProgress(String rebuildId, String state, String progress) {
        return eval(PROGRESS, List.of(RedisKeys.PROJECTION), List.of(rebuildId, state, progress));
    }

    @Override
    public void publish(String message) {
        try (Jedis jedis = pool.getResource()) {
            jedis.publish(RedisKeys.INVALIDATION_CHANNEL, message);
        }
    }

    private boolean eval(LuaScript script, List<String> keys, List<String> args) {
        try (Jedis jedis = pool.getResource()) {
            Object result = script.run(jedis, keys, args);
            return result instanceof Long l && l == 1L;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
