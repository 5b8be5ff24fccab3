package io.tollgate.tokenapi.redis;

import io.tollgate.shared.redis.LuaScript;
import io.tollgate.shared.redis.RedisKeys;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Refresh token families in Redis (layout of RedisKeys, docs/redis.md). Creation is one MULTI-like Lua
 * script; rotation is one Lua script that compares the presented hash with the family's current one and
 * either rotates (exactly one winner among concurrent refreshes), or, for an already-rotated hash,
 * revokes the family and announces it on {@code tg:invalidate}.
 *
 * <p>Refresh reuse interval: a rotation given a retry TTL also writes {@code tg:retry:{presented hash}} (the
 * successor's hash and the sealed successor pair) in the same script. The token just rotated, presented again while
 * that entry lives and the family's current hash is still that successor (unused), gets {@link Outcome#RETRIED} and
 * the sealed pair instead of a revocation; anything else already rotated is reuse as before. Since the check and
 * the rotation are one script, a concurrent double submit either rotates once and retries once or, without an
 * interval, revokes: never two successors.
 *
 * <p>Families are part of revocation-stream's projection: after Redis is lost (restarted empty, flushed) they
 * come back only as the projection is rebuilt from {@code tollgate.auth-events}. A lookup and a rotation
 * therefore read {@code tg:projection} in the same atomic script as the family: a family missing from a
 * projection that is not {@code ready} is "not known yet", never "unknown" ({@link Lookup#confirmed()},
 * {@link Outcome#UNCONFIRMED}), so a valid refresh token is never refused because Redis has not been rebuilt.
 */
public final class RefreshFamilies {

    /** Outcome of a rotation attempt. */
    public enum Outcome {
        ROTATED, REUSED, REVOKED, EXPIRED, UNKNOWN,
        /** The token just rotated, again, within the reuse interval, its successor unused: nothing changed. */
        RETRIED,
        /** The projection is not {@code ready} (Redis lost and not yet rebuilt): nothing was read or changed. */
        UNCONFIRMED
    }

    /** @param sealed for {@link Outcome#RETRIED}: the successor pair as sealed at the rotation; else null */
    public record Rotation(Outcome outcome, Family family, String sealed) {
        public Rotation(Outcome outcome, Family family) {
            this(outcome, family, null);
        }
    }

    /** What a rotation keeps for retries of the presented token: for {@code ttlSeconds} (0 = nothing kept). */
    public record Retry(long ttlSeconds, String sealed) {
        public static final Retry NONE = new Retry(0, "");

        public Retry {
            sealed = sealed == null ? "" : sealed;
        }

        @Override
        public String toString() {
            return "Retry[ttlSeconds=" + ttlSeconds + "]";
        }
    }

    /**
     * The family a refresh token hash belongs to, if Redis knows it, and whether the projection was {@code ready}
     * when it was read: only then does an empty {@code family} mean the token is unknown.
     */
    public record Lookup(Optional<Family> family, boolean confirmed) {
        /** A token that cannot be one of ours (e.g. far too long): unknown, whatever the projection's state. */
        public static final Lookup NOT_OURS = new Lookup(Optional.empty(), true);
    }

    // KEYS: tg:rt:{hash}, tg:projection. Returns {projection state or '', sid or '', family hash field/values...}
    private static final LuaScript FIND = new LuaScript("""
            local state = redis.call('HGET', KEYS[2], 'state') or ''
            local ref = redis.call('GET', KEYS[1])
            if not ref then return {state, ''} end
            local sid = string.match(ref, '^(%S+)')
            local out = {state, sid}
            local h = redis.call('HGETALL', 'tg:family:' .. sid)
            for i = 1, #h do out[#out + 1] = h[i] end
            return out
            """);

    // KEYS: family, rt, families zset, family-clients set
    // ARGV: sid user client hash createdAtMs expiresAtS scope subscriptionId planId nowS audience jkt
    private static final LuaScript CREATE = new LuaScript("""
            redis.call('HSET', KEYS[1], 'user', ARGV[2], 'client', ARGV[3], 'generation', '0', 'hash', ARGV[4],
              'createdAt', ARGV[5], 'expiresAt', ARGV[6], 'scope', ARGV[7], 'subscriptionId', ARGV[8], 'planId', ARGV[9])
            if ARGV[11] ~= '' then redis.call('HSET', KEYS[1], 'audience', ARGV[11]) end
            if ARGV[12] ~= '' then redis.call('HSET', KEYS[1], 'jkt', ARGV[12]) end
            redis.call('EXPIREAT', KEYS[1], ARGV[6])
            redis.call('SET', KEYS[2], ARGV[1] .. ' 0')
            redis.call('EXPIREAT', KEYS[2], ARGV[6])
            redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
            if redis.call('TTL', KEYS[3]) < tonumber(ARGV[6]) - tonumber(ARGV[10]) then
              redis.call('EXPIREAT', KEYS[3], ARGV[6])
            end
            redis.call('SADD', KEYS[4], ARGV[3])
            if redis.call('TTL', KEYS[4]) < tonumber(ARGV[6]) - tonumber(ARGV[10]) then
              redis.call('EXPIREAT', KEYS[4], ARGV[6])
            end
            return 1
            """);

    // KEYS: tg:rt:{presented}, tg:projection (not ready: UNCONFIRMED, nothing read or written), tg:retry:{presented}
    // ARGV: presentedHash newHash nowS newExpiresAtS revocationTtlS scope retryTtlS sealedPair
    // Returns {outcome, sid, user, client, generation, createdAt, expiresAt, scope, subscriptionId, planId, audience}
    // and, for RETRIED, the sealed pair last
    private static final LuaScript ROTATE = new LuaScript("""
            if redis.call('HGET', KEYS[2], 'state') ~= 'ready' then return {'UNCONFIRMED'} end
            local ref = redis.call('GET', KEYS[1])
            if not ref then return {'UNKNOWN'} end
            local sid = string.match(ref, '^(%S+)')
            local fkey = 'tg:family:' .. sid
            local f = redis.call('HMGET', fkey, 'user', 'client', 'generation', 'hash', 'createdAt', 'expiresAt',
              'scope', 'subscriptionId', 'planId', 'audience')
            if not f[1] or not f[4] then return {'UNKNOWN'} end
            local info = {sid, f[1], f[2], f[3], f[5], f[6], f[7] or '', f[8] or '', f[9] or '', f[10] or ''}
            local function answer(outcome)
              local out = {outcome}
              for i = 1, #info do out[#out + 1] = info[i] end
              return out
            end
            local now = tonumber(ARGV[3])
            if redis.call('EXISTS', 'tg:rev:family:' .. sid) == 1 then return answer('REVOKED') end
            local retried = nil
            if f[4] ~= ARGV[1] then
              local r = redis.call('HMGET', KEYS[3], 'successor', 'sealed')
              if r[1] and r[1] == f[4] and r[2] then
                retried = r[2]
              else
                redis.call('SET', 'tg:rev:family:' .. sid, tostring(now), 'EX', ARGV[5])
                redis.call('PUBLISH', 'tg:invalidate', 'tg:rev:family:' .. sid)
                return answer('REUSED')
              end
            end
            if tonumber(f[6]) <= now then return answer('EXPIRED') end
            local created = math.floor(tonumber(f[5]) / 1000)
            for _, k in ipairs({'tg:rev:user:' .. f[1], 'tg:rev:uc:' .. f[1] .. ':' .. f[2], 'tg:rev:client:' .. f[2]}) do
              local nb = redis.call('GET', k)
              if nb and tonumber(nb) and created <= tonumber(nb) then return answer('REVOKED') end
            end
            if retried then
              local out = answer('RETRIED')
              out[#out + 1] = retried
              return out
            end
            local gen = tonumber(f[3]) + 1
            redis.call('HSET', fkey, 'generation', tostring(gen), 'hash', ARGV[2], 'expiresAt', ARGV[4], 'scope', ARGV[6])
            redis.call('EXPIREAT', fkey, ARGV[4])
            redis.call('SET', 'tg:rt:' .. ARGV[2], sid .. ' ' .. gen)
            redis.call('EXPIREAT', 'tg:rt:' .. ARGV[2], ARGV[4])
            local fams = 'tg:families:' .. f[1] .. ':' .. f[2]
            if redis.call('TTL', fams) < tonumber(ARGV[4]) - now then redis.call('EXPIREAT', fams, ARGV[4]) end
            local fc = 'tg:family-clients:' .. f[1]
            if redis.call('TTL', fc) < tonumber(ARGV[4]) - now then redis.call('EXPIREAT', fc, ARGV[4]) end
            if tonumber(ARGV[7]) > 0 then
              redis.call('DEL', KEYS[3])
              redis.call('HSET', KEYS[3], 'successor', ARGV[2], 'sealed', ARGV[8])
              redis.call('EXPIRE', KEYS[3], ARGV[7])
            end
            info[4] = tostring(gen)
            info[6] = ARGV[4]
            info[7] = ARGV[6]
            return answer('ROTATED')
            """);

    private final Pool<Jedis> pool;

    public RefreshFamilies(Pool<Jedis> pool) {
        this.pool = pool;
    }

    public void create(Family f, long nowSeconds) {
        try (Jedis jedis = pool.getResource()) {
            CREATE.run(jedis,
                    List.of(RedisKeys.family(f.familyId()), RedisKeys.refreshHash(f.hash()),
                            RedisKeys.families(f.user(), f.client()), RedisKeys.familyClients(f.user())),
                    List.of(f.familyId(), f.user(), f.client(), f.hash(), Long.toString(f.createdAtMillis()),
                            Long.toString(f.expiresAtSeconds()), f.scope(), f.subscriptionId(), f.planId(),
                            Long.toString(nowSeconds), f.audience(), f.jkt()));
        }
    }

    /** Undoes {@link #create} when the login could not be completed (its event could not be recorded). */
    public void delete(Family f) {
        try (Jedis jedis = pool.getResource()) {
            jedis.del(RedisKeys.family(f.familyId()), RedisKeys.refreshHash(f.hash()));
            jedis.zrem(RedisKeys.families(f.user(), f.client()), f.familyId());
        }
    }

    /** The family a refresh token hash belongs to (current or rotated), read atomically with the projection state. */
    @SuppressWarnings("unchecked")
    public Lookup lookup(String hash) {
        List<Object> result;
        try (Jedis jedis = pool.getResource()) {
            result = (List<Object>) FIND.run(jedis, List.of(RedisKeys.refreshHash(hash), RedisKeys.PROJECTION),
                    List.of());
        }
        boolean confirmed = RedisKeys.PROJECTION_READY.equals(result.get(0));
        String sid = (String) result.get(1);
        if (sid.isEmpty()) {
            return new Lookup(Optional.empty(), confirmed);
        }
        Map<String, String> h = new HashMap<>();
        for (int i = 2; i + 1 < result.size(); i += 2) {
            h.put((String) result.get(i), (String) result.get(i + 1));
        }
        return new Lookup(Optional.ofNullable(Family.fromHash(sid, h)), confirmed);
    }

    /**
     * Every family Redis lists for the user (all clients, or only {@code onlyClient}), whatever its standing: the
     * caller judges liveness ({@code RevocationService#liveFamilies}). Oldest first per client.
     */
    public List<Family> ofUser(String user, String onlyClient) {
        try (Jedis jedis = pool.getResource()) {
            java.util.Collection<String> clients = onlyClient != null ? List.of(onlyClient)
                    : new java.util.TreeSet<>(jedis.smembers(RedisKeys.familyClients(user)));
            List<Family> out = new java.util.ArrayList<>();
            for (String client : clients) {
                for (String sid : jedis.zrange(RedisKeys.families(user, client), 0, -1)) {
                    find(jedis, sid).filter(f -> user.equals(f.user())).ifPresent(out::add);
                }
            }
            return out;
        }
    }

    public Optional<Family> find(String familyId) {
        try (Jedis jedis = pool.getResource()) {
            return find(jedis, familyId);
        }
    }

    private static Optional<Family> find(Jedis jedis, String sid) {
        Map<String, String> h = jedis.hgetAll(RedisKeys.family(sid));
        return Optional.ofNullable(Family.fromHash(sid, h));
    }

    public Rotation rotate(String presentedHash, String newHash, long nowSeconds, long newExpiresAtSeconds,
                           long revocationTtlSeconds, String scope) {
        return rotate(presentedHash, newHash, nowSeconds, newExpiresAtSeconds, revocationTtlSeconds, scope, Retry.NONE);
    }

    /** @param retry what to keep for retries of the presented token if it is rotated now ({@link Retry#NONE}: nothing) */
    @SuppressWarnings("unchecked")
    public Rotation rotate(String presentedHash, String newHash, long nowSeconds, long newExpiresAtSeconds,
                           long revocationTtlSeconds, String scope, Retry retry) {
        List<Object> result;
        try (Jedis jedis = pool.getResource()) {
            result = (List<Object>) ROTATE.run(jedis, List.of(RedisKeys.refreshHash(presentedHash),
                            RedisKeys.PROJECTION, RedisKeys.refreshRetry(presentedHash)),
                    List.of(presentedHash, newHash, Long.toString(nowSeconds), Long.toString(newExpiresAtSeconds),
                            Long.toString(revocationTtlSeconds), scope, Long.toString(retry.ttlSeconds()),
                            retry.sealed()));
        }
        Outcome outcome = Outcome.valueOf((String) result.get(0));
        if (result.size() == 1) {
            return new Rotation(outcome, null);
        }
        String sid = (String) result.get(1);
        Family family = new Family(sid, (String) result.get(2), (String) result.get(3),
                Integer.parseInt((String) result.get(4)), outcome == Outcome.ROTATED ? newHash : presentedHash,
                Long.parseLong((String) result.get(5)), Long.parseLong((String) result.get(6)), (String) result.get(7),
                (String) result.get(8), (String) result.get(9), (String) result.get(10));
        return new Rotation(outcome, family, outcome == Outcome.RETRIED ? (String) result.get(11) : null);
    }
}
