package io.tollgate.tokenapi.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.crypto.RandomTokens;
import io.tollgate.shared.json.Json;
import io.tollgate.shared.redis.LuaScript;
import io.tollgate.shared.redis.RedisKeys;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.Pool;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Authorization codes (RFC 6749 §4.1.2) in Redis: 256 random bits, stored only as their SHA-256 under
 * {@link RedisKeys#authorizationCode}, with a TTL of at most {@link #MAX_LIFETIME}. Redeeming is one Lua script that
 * reads and deletes the code and, in the same step, remembers the family the exchange is about to issue under
 * {@link RedisKeys#usedAuthorizationCode}: exactly one exchange wins, and a later one learns which family to revoke.
 */
public final class AuthorizationCodes {
    /** The longest a code lives (RFC 9700 §4.1: short-lived; the contract says at most 60 s). */
    public static final Duration MAX_LIFETIME = Duration.ofSeconds(60);
    /** How long a redeemed code's family is remembered for a replay to revoke it. */
    public static final Duration USED_MEMORY = Duration.ofHours(1);

    /**
     * What a code grants, bound to the client, the redirect URI and the PKCE challenge of its request.
     *
     * @param resources the RFC 8707 APIs the request named; null when none
     */
    public record Grant(String clientId, String redirectUri, String codeChallenge, String user, Set<String> groups,
                        String scope, List<String> resources, long issuedAtEpochSecond) {
    }

    /**
     * The outcome of a redemption: the grant when this call won it; otherwise, when the code was already redeemed,
     * the family issued from it.
     */
    public record Redemption(Optional<Grant> grant, Optional<Replay> replayed) {
    }

    /** An earlier redemption of a code: the family it issued, for the user of the code. */
    public record Replay(String familyId, String user) {
    }

    // KEYS: code, used. ARGV: family id, used TTL seconds. Returns {grant json or '', family of an earlier use or ''}
    private static final LuaScript REDEEM = new LuaScript("""
            local grant = redis.call('GET', KEYS[1])
            if grant then
              redis.call('DEL', KEYS[1])
              redis.call('SET', KEYS[2], ARGV[1] .. ' ' .. grant, 'EX', tonumber(ARGV[2]))
              return {grant, ''}
            end
            return {'', redis.call('GET', KEYS[2]) or ''}
            """);

    private final Pool<Jedis> pool;
    private final Duration lifetime;

    public AuthorizationCodes(Pool<Jedis> pool) {
        this(pool, MAX_LIFETIME);
    }

    public AuthorizationCodes(Pool<Jedis> pool, Duration lifetime) {
        if (lifetime.isZero() || lifetime.isNegative() || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("an authorization code lives between 1 and 60 seconds");
        }
        this.pool = pool;
        this.lifetime = lifetime;
    }

    /** Stores {@code grant} under a new code and returns the code (the only time it exists in clear). */
    public String issue(Grant grant) {
        String code = RandomTokens.generate(256);
        String json;
        try {
            json = Json.mapper().writeValueAsString(grant);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an authorization code's grant", e);
        }
        try (Jedis jedis = pool.getResource()) {
            jedis.set(RedisKeys.authorizationCode(Hashes.sha256(code)), json,
                    SetParams.setParams().nx().ex(lifetime.toSeconds()));
        }
        return code;
    }

    /**
     * Redeems {@code code} once. The winner's {@code familyId} is remembered so that a replay can revoke it.
     */
    public Redemption redeem(String code, String familyId) {
        if (code.length() > 512) {
            return new Redemption(Optional.empty(), Optional.empty());
        }
        String hash = Hashes.sha256(code);
        Object result;
        try (Jedis jedis = pool.getResource()) {
            result = REDEEM.run(jedis, List.of(RedisKeys.authorizationCode(hash), RedisKeys.usedAuthorizationCode(hash)),
                    List.of(familyId, Long.toString(USED_MEMORY.toSeconds())));
        }
        List<?> out = (List<?>) result;
        String json = (String) out.get(0);
        String used = (String) out.get(1);
        if (json.isEmpty()) {
            if (used.isEmpty()) {
                return new Redemption(Optional.empty(), Optional.empty());
            }
            int space = used.indexOf(' ');
            return new Redemption(Optional.empty(),
                    Optional.of(new Replay(used.substring(0, space), read(used.substring(space + 1)).user())));
        }
        return new Redemption(Optional.of(read(json)), Optional.empty());
    }

    private static Grant read(String json) {
        try {
            return Json.mapper().readValue(json, Grant.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an authorization code's grant cannot be read", e);
        }
    }
}
