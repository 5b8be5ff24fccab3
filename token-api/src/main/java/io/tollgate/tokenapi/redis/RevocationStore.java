package io.tollgate.tokenapi.redis;

import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.redis.RedisKeys;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

import java.time.Instant;
import java.util.List;

/**
 * Revocation facts and policy decisions in Redis. token-api writes the facts of its own revocations
 * synchronously (revocation-stream writes the same facts from Kafka), so they act at once; every write is
 * announced on {@code tg:invalidate}.
 */
public final class RevocationStore {
    // KEYS[1] fact key; ARGV: value (epoch s), expireAt (epoch s), isNotBefore (1/0). The larger not-before wins.
    private static final String WRITE = """
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
            """;

    private final JedisPool pool;

    public RevocationStore(JedisPool pool) {
        this.pool = pool;
    }

    public void write(Revocation revocation, Instant now) {
        boolean notBefore = switch (revocation.kind()) {
            case USER, USER_CLIENT, CLIENT -> true;
            case FAMILY, TOKEN -> false;
        };
        long value = notBefore ? revocation.notBefore().getEpochSecond() : now.getEpochSecond();
        try (Jedis jedis = pool.getResource()) {
            jedis.eval(WRITE, List.of(RedisKeys.revocation(revocation)),
                    List.of(Long.toString(value), Long.toString(revocation.expiresAt().getEpochSecond()),
                            notBefore ? "1" : "0", Long.toString(now.getEpochSecond())));
        }
    }

    public boolean isDenied(String user) {
        try (Jedis jedis = pool.getResource()) {
            return "DENY".equals(jedis.hget(RedisKeys.decision(user), "outcome"));
        }
    }

    /**
     * Whether an access token (or a family created at {@code issuedAtSeconds}) is revoked by any fact: its
     * jti, its family, a user / user-client / client not-before at or after its issue second, or a DENY.
     */
    public boolean isRevoked(String user, String client, String familyId, String jti, long issuedAtSeconds) {
        try (Jedis jedis = pool.getResource()) {
            Pipeline p = jedis.pipelined();
            Response<Boolean> jtiRevoked = jti == null ? null : p.exists(RedisKeys.revokedJti(jti));
            Response<Boolean> familyRevoked = familyId == null ? null : p.exists(RedisKeys.revokedFamily(familyId));
            Response<String> userNb = p.get(RedisKeys.userNotBefore(user));
            Response<String> ucNb = client == null ? null : p.get(RedisKeys.userClientNotBefore(user, client));
            Response<String> clientNb = client == null ? null : p.get(RedisKeys.clientNotBefore(client));
            Response<String> decision = p.hget(RedisKeys.decision(user), "outcome");
            p.sync();
            if ((jtiRevoked != null && jtiRevoked.get()) || (familyRevoked != null && familyRevoked.get())) {
                return true;
            }
            if ("DENY".equals(decision.get())) {
                return true;
            }
            for (Response<String> nb : new Response[] {userNb, ucNb, clientNb}) {
                if (nb != null && nb.get() != null && issuedAtSeconds <= parse(nb.get())) {
                    return true;
                }
            }
            return false;
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
