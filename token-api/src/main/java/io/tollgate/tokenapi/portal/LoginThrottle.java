package io.tollgate.tokenapi.portal;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;

import java.time.Duration;

/**
 * Portal login brute-force guard: failures counted per e-mail ({@code tg:portal:fail:email:{email}}) and per
 * client address ({@code tg:portal:fail:ip:{ip}}) for {@code window} after the last failure; at the limit, further
 * attempts are refused with 429 (no password check) until the counter expires. A success resets the e-mail's count.
 */
public final class LoginThrottle {
    private final Pool<Jedis> pool;
    private final int perEmail;
    private final int perAddress;
    private final Duration window;

    public LoginThrottle(Pool<Jedis> pool, int perEmail, int perAddress, Duration window) {
        this.pool = pool;
        this.perEmail = perEmail;
        this.perAddress = perAddress;
        this.window = window;
    }

    static String emailKey(String email) {
        return "tg:portal:fail:email:" + email;
    }

    static String ipKey(String ip) {
        return "tg:portal:fail:ip:" + ip;
    }

    public void check(String email, String ip) {
        try (Jedis jedis = pool.getResource()) {
            for (String key : new String[] {emailKey(email), ipKey(ip)}) {
                if (count(jedis.get(key)) >= (key.startsWith("tg:portal:fail:ip:") ? perAddress : perEmail)) {
                    throw PortalException.tooMany("too_many_attempts", "too many failed logins; try again later",
                            jedis.ttl(key));
                }
            }
        }
    }

    public void failed(String email, String ip) {
        try (Jedis jedis = pool.getResource()) {
            for (String key : new String[] {emailKey(email), ipKey(ip)}) {
                jedis.incr(key);
                jedis.expire(key, window.toSeconds());
            }
        }
    }

    public void reset(String email) {
        try (Jedis jedis = pool.getResource()) {
            jedis.del(emailKey(email));
        }
    }

    private static long count(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
