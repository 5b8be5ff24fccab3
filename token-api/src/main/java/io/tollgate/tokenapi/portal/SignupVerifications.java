package io.tollgate.tokenapi.portal;

import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.crypto.RandomTokens;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Sign-ups waiting for their address to be verified, in Redis: {@code tg:portal:verify:<sha256(token)>} hash
 * {email, passwordHash, developerId?, expiresAt, attempts} that expires with the link. The token (256 random
 * bits) is only in the mail; Redis holds its hash. A token works once ({@link #consume}), until it expires, and
 * only with the password chosen at sign-up (so clicking a link somebody else asked for creates nothing);
 * {@value #MAX_ATTEMPTS} wrong passwords void it.
 */
public final class SignupVerifications {
    static final String PREFIX = "tg:portal:verify:";
    static final int MAX_ATTEMPTS = 5;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private final Pool<Jedis> pool;
    private final Duration lifetime;
    private final Clock clock;

    /** A sign-up waiting for verification; {@code developerId} is an earlier unverified account's, or null. */
    public record Pending(String email, String passwordHash, String developerId) {
        @Override
        public String toString() {
            return "Pending[email=" + email + ", passwordHash=[REDACTED]]";
        }
    }

    public SignupVerifications(Pool<Jedis> pool, Duration lifetime, Clock clock) {
        this.pool = pool;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public Duration lifetime() {
        return lifetime;
    }

    static String key(String token) {
        return PREFIX + Hashes.sha256(token);
    }

    /** Stores a pending sign-up and returns its token (for the mail only). */
    public String create(Pending pending) {
        String token = RandomTokens.generate(256);
        Map<String, String> fields = new HashMap<>(Map.of("email", pending.email(),
                "passwordHash", pending.passwordHash(), "attempts", "0",
                "expiresAt", Long.toString(clock.instant().plus(lifetime).getEpochSecond())));
        if (pending.developerId() != null) {
            fields.put("developerId", pending.developerId());
        }
        try (Jedis jedis = pool.getResource()) {
            jedis.hset(key(token), fields);
            jedis.expire(key(token), lifetime.toSeconds());
        }
        return token;
    }

    /** The pending sign-up of a live token; empty for a malformed, unknown, used or expired one. */
    public Optional<Pending> find(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        try (Jedis jedis = pool.getResource()) {
            Map<String, String> h = jedis.hgetAll(key(token));
            if (h.get("email") == null || h.get("passwordHash") == null || h.get("expiresAt") == null) {
                return Optional.empty();
            }
            if (!clock.instant().isBefore(Instant.ofEpochSecond(Long.parseLong(h.get("expiresAt"))))) {
                return Optional.empty();
            }
            return Optional.of(new Pending(h.get("email"), h.get("passwordHash"), h.get("developerId")));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Counts a wrong password; the last allowed one voids the token. */
    public void failedPassword(String token) {
        try (Jedis jedis = pool.getResource()) {
            if (!jedis.exists(key(token))) {
                return;   // used or expired meanwhile: HINCRBY would leave a key without expiry
            }
            if (jedis.hincrBy(key(token), "attempts", 1) >= MAX_ATTEMPTS) {
                jedis.del(key(token));
            }
        }
    }

    /**
     * Serializes the verification of one address: only the first caller within 60 s gets true
     * ({@code SET tg:portal:verifying:{email} NX EX 60}), so two links of one address cannot write two accounts.
     */
    public boolean claimAddress(String email) {
        try (Jedis jedis = pool.getResource()) {
            return "OK".equals(jedis.set("tg:portal:verifying:" + email, "1",
                    redis.clients.jedis.params.SetParams.setParams().nx().ex(60)));
        }
    }

    /** Uses the token up; true for exactly one caller (a concurrent second verification gets false). */
    public boolean consume(String token) {
        try (Jedis jedis = pool.getResource()) {
            return jedis.del(key(token)) == 1;
        }
    }
}
