package io.tollgate.tokenapi.portal;

import io.tollgate.shared.auth.LockoutPolicy;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;

/**
 * Portal login brute-force guard: failures counted per e-mail ({@code tg:portal:fail:email:{email}}) and per
 * client address ({@code tg:portal:fail:ip:{ip}}), each on its {@link LockoutPolicy}. A count is forgotten the
 * policy's longest wait ({@link LockoutPolicy#max()}) after the last failure; from the policy's threshold, further
 * attempts are refused with 429 (no password check) until it is. A success resets the e-mail's count.
 */
public final class LoginThrottle {
    private final Pool<Jedis> pool;
    private final LockoutPolicy perEmail;
    private final LockoutPolicy perAddress;

    public LoginThrottle(Pool<Jedis> pool, LockoutPolicy perEmail, LockoutPolicy perAddress) {
        this.pool = pool;
        this.perEmail = perEmail;
        this.perAddress = perAddress;
    }

    static String emailKey(String email) {
        return "tg:portal:fail:email:" + email;
    }

    static String ipKey(String ip) {
        return "tg:portal:fail:ip:" + ip;
    }

    public void check(String email, String ip) {
        try (Jedis jedis = pool.getResource()) {
            refuseIfLocked(jedis, emailKey(email), perEmail);
            refuseIfLocked(jedis, ipKey(ip), perAddress);
        }
    }

    public void failed(String email, String ip) {
        try (Jedis jedis = pool.getResource()) {
            count(jedis, emailKey(email), perEmail);
            count(jedis, ipKey(ip), perAddress);
        }
    }

    public void reset(String email) {
        try (Jedis jedis = pool.getResource()) {
            jedis.del(emailKey(email));
        }
    }

    private static void refuseIfLocked(Jedis jedis, String key, LockoutPolicy policy) {
        if (policy.locks(failures(jedis.get(key)))) {
            throw PortalException.tooMany("too_many_attempts", "too many failed logins; try again later",
                    jedis.ttl(key));
        }
    }

    private static void count(Jedis jedis, String key, LockoutPolicy policy) {
        jedis.incr(key);
        jedis.expire(key, policy.max().toSeconds());
    }

    private static long failures(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
