package io.tollgate.tokenapi.redis;

import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.redis.LuaScript;
import io.tollgate.shared.redis.RedisKeys;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.util.Pool;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Revocation facts and policy decisions in Redis. token-api writes the facts of its own revocations
 * synchronously (revocation-stream writes the same facts from Kafka), so they act at once; every write is
 * announced on {@code tg:invalidate}.
 *
 * <p>These facts are revocation-stream's projection. A read also reads {@code tg:projection} in the same
 * MULTI/EXEC: the absence of a fact means "not revoked" only while the projection is {@code ready}; in a
 * Redis that was lost and is being rebuilt it means nothing yet ({@link Standing#UNCONFIRMED}). A fact that
 * is present is believed whatever the state (failing closed).
 */
public final class RevocationStore {
    /** What Redis can tell about a user or a token. */
    public enum Standing {
        /** No fact against it, and the projection is ready. */
        CLEAR,
        /** A revocation fact or a DENY decision applies. */
        REVOKED,
        /** No fact against it, but the projection is not ready (Redis lost, rebuild not finished). */
        UNCONFIRMED
    }

    // KEYS[1] fact key; ARGV: value (epoch s), expireAt (epoch s), isNotBefore (1/0). The larger not-before wins.
    private static final LuaScript WRITE = new LuaScript("""
            local cur = redis.call('GET', KEYS[1])
            if ARGV[3] == '1' and cur and tonumber(cur) and tonumber(cur) >= tonumber(ARGV[1]) then
              -- keep the larger not-before, but never shorten its life
            else
              redis.call('SET', KEYS[1], ARGV[1])
            end
            local ttl = redis.call('TTL', KEYS[1])
            local want = tonumber(ARGV[2]) - tonumber(ARGV[4])
            if ttl < want then redis.call('EXPIREAT', KEYS[1], ARGV[2]) end
            redis.call('PUBLISH', 'tg:invalidate', KEYS[1])
            return 1
            """);

    private final Pool<Jedis> pool;

    public RevocationStore(Pool<Jedis> pool) {
        this.pool = pool;
    }

    public void write(Revocation revocation, Instant now) {
        boolean notBefore = switch (revocation.kind()) {
            case USER, USER_CLIENT, CLIENT -> true;
            case FAMILY, TOKEN -> false;
        };
        long value = notBefore ? revocation.notBefore().getEpochSecond() : now.getEpochSecond();
        try (Jedis jedis = pool.getResource()) {
            WRITE.run(jedis, List.of(RedisKeys.revocation(revocation)),
                    List.of(Long.toString(value), Long.toString(revocation.expiresAt().getEpochSecond()),
                            notBefore ? "1" : "0", Long.toString(now.getEpochSecond())));
        }
    }

    /** The user's policy standing: REVOKED for a DENY decision. */
    public Standing decision(String user) {
        try (Jedis jedis = pool.getResource()) {
            Transaction t = jedis.multi();
            Response<String> decision = t.hget(RedisKeys.decision(user), "outcome");
            Response<String> state = t.hget(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD);
            t.exec();
            if (decision != null && "DENY".equals(decision.get())) {
                return Standing.REVOKED;
            }
            return RedisKeys.PROJECTION_READY.equals(state.get()) ? Standing.CLEAR : Standing.UNCONFIRMED;
        }
    }

    /**
     * Whether an access token (or a family created at {@code issuedAtSeconds}) is revoked by any fact: its
     * jti, its family, a user / user-client / client not-before at or after its issue second, or a DENY.
     */
    public Standing token(String user, String client, String familyId, String jti, long issuedAtSeconds) {
        try (Jedis jedis = pool.getResource()) {
            Transaction p = jedis.multi();
            Response<Boolean> jtiRevoked = jti == null ? null : p.exists(RedisKeys.revokedJti(jti));
            Response<Boolean> familyRevoked = familyId == null ? null : p.exists(RedisKeys.revokedFamily(familyId));
            Response<String> userNb = user == null ? null : p.get(RedisKeys.userNotBefore(user));
            Response<String> ucNb = client == null || user == null ? null
                    : p.get(RedisKeys.userClientNotBefore(user, client));
            Response<String> clientNb = client == null ? null : p.get(RedisKeys.clientNotBefore(client));
            Response<String> decision = user == null ? null : p.hget(RedisKeys.decision(user), "outcome");
            Response<String> state = p.hget(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD);
            p.exec();
            if ((jtiRevoked != null && jtiRevoked.get()) || (familyRevoked != null && familyRevoked.get())) {
                return Standing.REVOKED;
            }
            if (decision != null && "DENY".equals(decision.get())) {
                return Standing.REVOKED;
            }
            for (Response<String> nb : Arrays.asList(userNb, ucNb, clientNb)) {
                if (nb != null && nb.get() != null && issuedAtSeconds <= parse(nb.get())) {
                    return Standing.REVOKED;
                }
            }
            return RedisKeys.PROJECTION_READY.equals(state.get()) ? Standing.CLEAR : Standing.UNCONFIRMED;
        }
    }

    private static long parse(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // unreadable fact: fail closed
        }
    }
}
