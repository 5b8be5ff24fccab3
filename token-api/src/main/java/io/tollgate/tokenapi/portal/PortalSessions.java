package io.tollgate.tokenapi.portal;

import io.tollgate.shared.crypto.ConstantTime;
import io.tollgate.shared.crypto.RandomTokens;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;

import java.security.Principal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Portal sessions in Redis: {@code tg:portal:session:{id}} hash {email, developer, csrf, admin} with a TTL
 * (sliding on use). The id is 256 random bits (the cookie); the CSRF synchronizer token is another 256 bits bound
 * to the session. {@code developer} is the account id that owns apps; a developer session without one (written
 * before accounts owned apps) is no session.
 */
public final class PortalSessions {
    public static final String PREFIX = "tg:portal:session:";
    private final Pool<Jedis> pool;
    private final Duration ttl;

    public record Session(String id, String email, String developerId, String csrf, boolean admin)
            implements Principal {
        @Override
        public String getName() {
            return email;
        }

        /** True when {@code token} is this session's CSRF token (constant-time). */
        public boolean csrfMatches(String token) {
            return token != null && ConstantTime.equals(csrf, token);
        }

        @Override
        public String toString() {
            return "Session[email=" + email + ", developerId=" + developerId + ", admin=" + admin + "]";
        }
    }

    public PortalSessions(Pool<Jedis> pool, Duration ttl) {
        this.pool = pool;
        this.ttl = ttl;
    }

    public static String key(String id) {
        return PREFIX + id;
    }

    public Duration ttl() {
        return ttl;
    }

    /** A session of a developer account ({@code developerId}) or, with {@code developerId} null, an operator. */
    public Session create(String email, String developerId, boolean admin) {
        if ((developerId == null) != admin) {
            throw new IllegalArgumentException("a developer session has an account id, an operator's none");
        }
        Session s = new Session(RandomTokens.generate(256), email, developerId, RandomTokens.generate(256), admin);
        Map<String, String> fields = new java.util.HashMap<>(Map.of("email", email, "csrf", s.csrf(),
                "admin", Boolean.toString(admin)));
        if (developerId != null) {
            fields.put("developer", developerId);
        }
        try (Jedis jedis = pool.getResource()) {
            jedis.hset(key(s.id()), fields);
            jedis.expire(key(s.id()), ttl.toSeconds());
        }
        return s;
    }

    public Optional<Session> find(String id) {
        if (id == null || id.length() != 43 || !id.matches("[A-Za-z0-9_-]+")) {
            return Optional.empty();
        }
        try (Jedis jedis = pool.getResource()) {
            Map<String, String> h = jedis.hgetAll(key(id));
            boolean admin = Boolean.parseBoolean(h.get("admin"));
            if (h.get("email") == null || h.get("csrf") == null || (!admin && h.get("developer") == null)) {
                return Optional.empty();
            }
            jedis.expire(key(id), ttl.toSeconds());
            return Optional.of(new Session(id, h.get("email"), h.get("developer"), h.get("csrf"), admin));
        }
    }

    public void delete(String id) {
        try (Jedis jedis = pool.getResource()) {
            jedis.del(key(id));
        }
    }
}
