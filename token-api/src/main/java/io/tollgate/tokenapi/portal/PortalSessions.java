package io.tollgate.tokenapi.portal;

import io.tollgate.shared.crypto.ConstantTime;
import io.tollgate.shared.crypto.RandomTokens;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Portal sessions in Redis: {@code tg:portal:session:{id}} hash {email, csrf, admin} with a TTL (sliding on use).
 * The id is 256 random bits (the cookie); the CSRF synchronizer token is another 256 bits bound to the session.
 */
public final class PortalSessions {
    public static final String PREFIX = "tg:portal:session:";
    private final JedisPool pool;
    private final Duration ttl;

    public record Session(String id, String email, String csrf, boolean admin) {
        /** True when {@code token} is this session's CSRF token (constant-time). */
        public boolean csrfMatches(String token) {
            return token != null && ConstantTime.equals(csrf, token);
        }

        @Override
        public String toString() {
            return "Session[email=" + email + ", admin=" + admin + "]";
        }
    }

    public PortalSessions(JedisPool pool, Duration ttl) {
        this.pool = pool;
        this.ttl = ttl;
    }

    public static String key(String id) {
        return PREFIX + id;
    }

    public Duration ttl() {
        return ttl;
    }

    public Session create(String email, boolean admin) {
        Session s = new Session(RandomTokens.generate(256), email, RandomTokens.generate(256), admin);
        try (Jedis jedis = pool.getResource()) {
            jedis.hset(key(s.id()), Map.of("email", email, "csrf", s.csrf(), "admin", Boolean.toString(admin)));
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
            if (h.get("email") == null || h.get("csrf") == null) {
                return Optional.empty();
            }
            jedis.expire(key(id), ttl.toSeconds());
            return Optional.of(new Session(id, h.get("email"), h.get("csrf"), Boolean.parseBoolean(h.get("admin"))));
        }
    }

    /**
     * Serializes concurrent sign-ups of one e-mail: only the first caller within 60 s gets true
     * ({@code SET tg:portal:signup:{email} NX EX 60}); the registry check then sees the first one's record.
     */
    public boolean claimSignup(String email) {
        try (Jedis jedis = pool.getResource()) {
            return "OK".equals(jedis.set("tg:portal:signup:" + email, "1",
                    redis.clients.jedis.params.SetParams.setParams().nx().ex(60)));
        }
    }

    public void delete(String id) {
        try (Jedis jedis = pool.getResource()) {
            jedis.del(key(id));
        }
    }
}
