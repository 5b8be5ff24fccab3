package io.tollgate.tokenapi.redis;

import io.tollgate.shared.auth.LockoutPolicy;
import io.tollgate.shared.events.LoginLocked;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.tokenapi.config.LockoutSettings;
import io.tollgate.tokenapi.idp.CanonicalIds;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.Pool;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Failed-login counters and lockouts in Redis, per user and per client address (RedisKeys layout), each locking by
 * its {@link LockoutPolicy} ({@link LockoutSettings#userPolicy}, {@link LockoutSettings#ipPolicy}). The
 * user is the canonical id the identity provider resolved, or the name as typed when it resolved none; either is
 * keyed folded ({@link CanonicalIds#lockoutKey}: NFKC, trimmed, lower case), so {@code Alice}, {@code ａｌｉｃｅ}
 * and {@code alice\u00a0} share alice's counter.
 */
public final class BruteForceGuard {
    private final Pool<Jedis> pool;
    private final LockoutSettings settings;
    private final LockoutPolicy userPolicy;
    private final LockoutPolicy ipPolicy;

    public BruteForceGuard(Pool<Jedis> pool, LockoutSettings settings) {
        this.pool = pool;
        this.settings = settings;
        this.userPolicy = settings.userPolicy();
        this.ipPolicy = settings.ipPolicy();
    }

    /** A lockout in force: whose, how many failures, until when. */
    public record Lock(LoginLocked.Scope scope, int failures, Instant until) {
    }

    public static String userKey(String username) {
        return username == null ? null : CanonicalIds.lockoutKey(username);
    }

    /**
     * What the lockout read found for a login: the lock in force, if any, and whether the user has failures or a
     * lock on record, which a successful login then {@link #reset forgets}; none on record, nothing to forget.
     */
    public record Standing(Optional<Lock> lock, boolean userOnRecord) {
        static final Standing CLEAR = new Standing(Optional.empty(), false);
    }

    /** The lockout in force for this user or the address, the address's checked first, in one round trip. */
    public Standing standing(String user, String ip) {
        if (!settings.enabled) {
            return Standing.CLEAR;
        }
        try (Jedis jedis = pool.getResource()) {
            Pipeline p = jedis.pipelined();
            Response<Long> ipTtl = p.pttl(RedisKeys.ipLock(ip));
            Response<String> ipCount = p.get(RedisKeys.ipFailures(ip));
            Response<Long> userTtl = p.pttl(RedisKeys.userLock(userKey(user)));
            Response<String> userCount = p.get(RedisKeys.userFailures(userKey(user)));
            p.sync();
            // PTTL: -2 when the key does not exist, -1 when it has no expiry
            boolean onRecord = userCount.get() != null || userTtl.get() != -2;
            Instant now = Instant.now();
            if (ipTtl.get() > 0) {
                return new Standing(Optional.of(new Lock(LoginLocked.Scope.IP, count(ipCount.get()),
                        now.plusMillis(ipTtl.get()))), onRecord);
            }
            if (userTtl.get() > 0) {
                return new Standing(Optional.of(new Lock(LoginLocked.Scope.USER, count(userCount.get()),
                        now.plusMillis(userTtl.get()))), onRecord);
            }
            return new Standing(Optional.empty(), onRecord);
        }
    }

    /**
     * The two families of per-address counters. {@code LOGINS}: failed logins and wrong client secrets (token
     * endpoint, RFC 7009), the address lock that also refuses password and refresh grants. {@code ACCOUNTS}: wrong
     * operator and resource-server passwords, counted apart ({@link RedisKeys#accountIpFailures}) so that guessing
     * an operator's password from an address behind carrier NAT does not lock its phones out of their logins, and
     * failed logins do not lock an operator out. Both follow the same policy ({@code lockout.ipFailures}).
     */
    public enum Counters {
        LOGINS, ACCOUNTS;

        String failures(String ip) {
            return this == LOGINS ? RedisKeys.ipFailures(ip) : RedisKeys.accountIpFailures(ip);
        }

        String lock(String ip) {
            return this == LOGINS ? RedisKeys.ipLock(ip) : RedisKeys.accountIpLock(ip);
        }
    }

    /** How much longer {@code ip} stays locked in {@code counters}; empty when it is not locked. */
    public Optional<Duration> addressLockedFor(Counters counters, String ip) {
        if (!settings.enabled) {
            return Optional.empty();
        }
        try (Jedis jedis = pool.getResource()) {
            long ttl = jedis.pttl(counters.lock(ip));
            return ttl > 0 ? Optional.of(Duration.ofMillis(ttl)) : Optional.empty();
        }
    }

    /**
     * Counts a wrong secret from {@code ip} in {@code counters}, locking the address once it crossed its threshold.
     *
     * @return the lock this failure started, if any
     */
    public Optional<Lock> countAddressFailure(Counters counters, String ip) {
        return count(counters, ip, null);
    }

    /**
     * Counts a failure for the user (may be null: e.g. an unknown refresh token) and the address, and locks
     * whichever crossed its threshold.
     *
     * @return the lockout this failure started, if any
     */
    public Optional<Lock> recordFailure(String user, String ip) {
        return count(Counters.LOGINS, ip, user);
    }

    /**
     * Counts a failure for the address in {@code counters} and, when {@code user} is not null, for the user, in one
     * round trip; locks whichever crossed its threshold.
     *
     * @return the lock this failure started (the user's when both did), if any
     */
    private Optional<Lock> count(Counters counters, String ip, String user) {
        if (!settings.enabled) {
            return Optional.empty();
        }
        try (Jedis jedis = pool.getResource()) {
            Pipeline p = jedis.pipelined();
            Response<Long> ipFailures = incr(p, counters.failures(ip));
            Response<Long> userFailures = user == null ? null : incr(p, RedisKeys.userFailures(userKey(user)));
            p.sync();
            Instant now = Instant.now();
            Optional<Lock> started = lockIfDue(jedis, LoginLocked.Scope.IP, counters.lock(ip), ipFailures.get(),
                    ipPolicy, now);
            if (userFailures != null) {
                Optional<Lock> userLock = lockIfDue(jedis, LoginLocked.Scope.USER, RedisKeys.userLock(userKey(user)),
                        userFailures.get(), userPolicy, now);
                if (userLock.isPresent()) {
                    started = userLock;
                }
            }
            return started;
        }
    }

    /** Queues one more failure on {@code counter}, which is forgotten a failure window after the last one. */
    private Response<Long> incr(Pipeline p, String counter) {
        Response<Long> failures = p.incr(counter);
        p.pexpire(counter, settings.failureWindow.toJavaDuration().toMillis());
        return failures;
    }

    /** Locks with {@code lock} for the wait {@code policy} gives {@code failures}: the lock started, if any. */
    private static Optional<Lock> lockIfDue(Jedis jedis, LoginLocked.Scope scope, String lock, long failures,
                                            LockoutPolicy policy, Instant now) {
        Duration wait = policy.waitAfter(failures);
        if (wait.isZero()) {
            return Optional.empty();
        }
        jedis.set(lock, Long.toString(failures), SetParams.setParams().px(wait.toMillis()));
        return Optional.of(new Lock(scope, (int) failures, now.plus(wait)));
    }

    /**
     * A successful login forgets the user's failures and lock (not the address's: one good account must not reset
     * it); the caller skips it when its {@link Standing} found none on record.
     */
    public void reset(String user) {
        try (Jedis jedis = pool.getResource()) {
            jedis.del(RedisKeys.userFailures(userKey(user)), RedisKeys.userLock(userKey(user)));
        }
    }

    private static int count(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
