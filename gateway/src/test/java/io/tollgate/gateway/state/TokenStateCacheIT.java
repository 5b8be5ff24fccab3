package io.tollgate.gateway.state;

import com.codahale.metrics.MetricRegistry;
import io.tollgate.gateway.core.VerifiedToken;
import io.tollgate.gateway.state.TokenStateCache.Status;
import io.tollgate.gateway.state.TokenStateCache.Verdict;
import io.tollgate.shared.redis.RedisEndpoint;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.RedisExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token-state cache against a real Redis. The race tests deliver an invalidation through the real
 * {@code tg:invalidate} channel exactly between a load's Redis read and its insert, through the cache's
 * {@code afterRedisRead} seam, and wait until the subscriber has applied it: no timing is left to chance.
 */
class TokenStateCacheIT {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private static final Duration NO_BACKSTOP_IN_TEST = Duration.ofMinutes(10);
    private static final Pattern CLIENT_ID = Pattern.compile("(?m)^id=(\\d+) ");

    private final MetricRegistry metrics = new MetricRegistry();
    private JedisPool pool;
    private TokenStateCache cache;

    @BeforeEach
    void clean() {
        REDIS.flushAll();
        try (Jedis jedis = REDIS.jedis()) {
            jedis.hset(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD, RedisKeys.PROJECTION_READY);
        }
        pool = REDIS.pool();
    }

    @AfterEach
    void stop() throws Exception {
        if (cache != null) {
            cache.stop();
        }
        pool.close();
    }

    @Test
    void anInvalidationOfTheKeyBetweenTheReadAndTheInsertIsNotLost() {
        start(NO_BACKSTOP_IN_TEST);
        VerifiedToken token = token("alice");
        String key = RedisKeys.userNotBefore("alice");
        cache.afterRedisRead(once(() -> {
            revoke(key);
            publishAndAwait(key);
        }));

        assertThat(cache.check(token)).as("read before the revocation").isEqualTo(Verdict.VALID);

        assertThat(statusOf(cache.checkCached(token))).as("served from the cache after the invalidation")
                .isNotEqualTo(Status.VALID);
        assertThat(cache.check(token).status()).isEqualTo(Status.REVOKED);
    }

    @Test
    void anInvalidationOfEverythingBetweenTheReadAndTheInsertIsNotLost() {
        start(NO_BACKSTOP_IN_TEST);
        VerifiedToken token = token("bob");
        cache.afterRedisRead(once(() -> {
            revoke(RedisKeys.revokedFamily(token.sid()));
            publishAndAwait("*");
        }));

        assertThat(cache.check(token)).isEqualTo(Verdict.VALID);

        assertThat(statusOf(cache.checkCached(token))).isNotEqualTo(Status.VALID);
        assertThat(cache.check(token).status()).isEqualTo(Status.REVOKED);
    }

    /**
     * A load that started before the subscription dropped and finished after it came back: a revocation written
     * while nobody listened (its message is lost) must not hide behind the value that load read.
     */
    @Test
    void aLoadStraddlingAResubscriptionIsNotCached() {
        start(NO_BACKSTOP_IN_TEST);
        VerifiedToken token = token("carol");
        cache.afterRedisRead(once(() -> {
            List<Long> before = pubsubClients();
            assertThat(before).as("the cache's subscription").hasSize(1);
            try (Jedis jedis = REDIS.jedis()) {
                jedis.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
            }
            revoke(RedisKeys.userClientNotBefore("carol", token.clientId())); // published to nobody
            // a new subscriber connection exists only after the old one's loss was handled, so once it is
            // listed, isSubscribed() is the new subscription's
            await(() -> {
                List<Long> now = pubsubClients();
                return !now.isEmpty() && !now.contains(before.get(0)) && cache.isSubscribed();
            }, "the cache subscribed again");
        }));

        assertThat(cache.check(token)).isEqualTo(Verdict.VALID);

        assertThat(statusOf(cache.checkCached(token))).isNotEqualTo(Status.VALID);
        assertThat(cache.check(token).status()).isEqualTo(Status.REVOKED);
    }

    /**
     * The backstop: a revocation written WITHOUT an invalidation is honoured once the cached "not revoked" is
     * older than maxEntryAge. Every answer that starts later than maxEntryAge after the only read that saw "not
     * revoked" must be REVOKED; before that, the cache keeps answering without Redis.
     */
    @Test
    void aRevocationWhoseInvalidationWasLostIsSeenWithinMaxEntryAge() throws Exception {
        Duration maxAge = Duration.ofSeconds(1);
        start(maxAge);
        VerifiedToken token = token("dave");
        assertThat(cache.check(token)).isEqualTo(Verdict.VALID);
        long lastValidRead = System.nanoTime(); // the read that saw "absent" finished before this
        revoke(RedisKeys.revokedJti(token.jti()));

        long cachedAnswers = 0;
        Verdict verdict;
        long asked;
        do {
            asked = System.nanoTime();
            verdict = cache.check(token);
            if (verdict.status() == Status.VALID) {
                cachedAnswers++;
                assertThat(asked - lastValidRead).as("VALID served beyond maxEntryAge")
                        .isLessThanOrEqualTo(maxAge.toNanos());
                Thread.sleep(20);
            }
        } while (verdict.status() == Status.VALID && asked - lastValidRead < 5 * maxAge.toNanos());

        assertThat(verdict.status()).isEqualTo(Status.REVOKED);
        assertThat(cachedAnswers).as("the cache answered from memory until the entry aged out").isPositive();
        assertThat(cache.checkCached(token).status()).as("and now caches the revocation")
                .isEqualTo(Status.REVOKED);
    }

    /**
     * An aged-out entry must be read again; when that read cannot be trusted (here the projection is being
     * rebuilt), the answer is 503 (UNCONFIRMED) even while the state as a whole is inside its staleness bound;
     * never the old verdict.
     */
    @Test
    void anAgedOutEntryIsNotServedWhenItsRereadCannotBeConfirmed() throws Exception {
        Duration maxAge = Duration.ofSeconds(1);
        start(maxAge); // staleness bound 10 s: the whole test runs inside it
        VerifiedToken token = token("erin");
        assertThat(cache.check(token)).isEqualTo(Verdict.VALID);
        long read = System.nanoTime();
        try (Jedis jedis = REDIS.jedis()) {
            jedis.hset(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD, RedisKeys.PROJECTION_REBUILDING);
        }

        Thread.sleep(Math.max(0, maxAge.toMillis() + 50 - (System.nanoTime() - read) / 1_000_000));

        assertThat(cache.isConfirmed()).as("still inside the staleness bound").isTrue();
        assertThat(cache.checkCached(token)).as("an aged-out entry needs Redis").isNull();
        assertThat(cache.check(token).status()).isEqualTo(Status.UNCONFIRMED);
    }

    private void start(Duration maxEntryAge) {
        cache = new TokenStateCache(pool, RedisEndpoint.standalone(REDIS.host(), REDIS.port()).build(),
                Duration.ofSeconds(10), maxEntryAge, 1_000, metrics);
        cache.start();
        await(cache::isConfirmed, "the cache confirmed its state");
    }

    private static VerifiedToken token(String user) {
        long now = System.currentTimeMillis() / 1000;
        return new VerifiedToken(user, "demo-mobile", "read", Set.of("read"), List.of("mobile"), "jti-" + user,
                "sid-" + user, now - 5, now + 300);
    }

    /** What revocation-stream writes: a not-before a minute ahead, so the token issued before falls under it. */
    private static void revoke(String key) {
        try (Jedis jedis = REDIS.jedis()) {
            jedis.set(key, Long.toString(System.currentTimeMillis() / 1000 + 60));
        }
    }

    /** Publishes like revocation-stream, then waits until the cache's subscriber has applied the message. */
    private void publishAndAwait(String message) {
        long applied = metrics.counter("gateway.token-state.invalidations").getCount();
        try (Jedis jedis = REDIS.jedis()) {
            assertThat(jedis.publish(RedisKeys.INVALIDATION_CHANNEL, message)).as("subscribers").isEqualTo(1);
        }
        await(() -> metrics.counter("gateway.token-state.invalidations").getCount() > applied,
                "the invalidation was applied");
    }

    private static List<Long> pubsubClients() {
        try (Jedis jedis = REDIS.jedis()) {
            Matcher m = CLIENT_ID.matcher(jedis.clientList(ClientType.PUBSUB));
            List<Long> ids = new ArrayList<>();
            while (m.find()) {
                ids.add(Long.parseLong(m.group(1)));
            }
            return ids;
        }
    }

    private static Status statusOf(Verdict verdict) {
        return verdict == null ? null : verdict.status();
    }

    private static Runnable once(Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                action.run();
            }
        };
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting until " + what).isLessThan(deadline);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
