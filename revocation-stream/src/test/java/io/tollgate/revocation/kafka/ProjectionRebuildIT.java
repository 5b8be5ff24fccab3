package io.tollgate.revocation.kafka;

import io.tollgate.revocation.core.ProjectionApplier;
import io.tollgate.revocation.redis.FamilyWrite;
import io.tollgate.revocation.redis.JedisRedisSink;
import io.tollgate.revocation.redis.RedisSink;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.kafka.KafkaFactory;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.RedisExtension;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rebuild's claim on {@code tg:projection} against a real Redis and broker: a Redis lost (restarted empty)
 * in the middle of a rebuild is never declared ready with half its facts, and of two instances only one rebuilds.
 */
class ProjectionRebuildIT {
    @RegisterExtension
    @Order(1)
    static final KafkaExtension KAFKA = KafkaExtension.shared();
    @RegisterExtension
    @Order(2)
    static final RedisExtension REDIS = new RedisExtension();

    private static final int FACTS = 200;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private JedisPool pool;

    @BeforeEach
    void seed() throws Exception {
        KAFKA.createTopics(Topics.ALL);
        REDIS.flushAll();
        pool = pool == null ? REDIS.pool() : pool;
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (Producer<String, Event<?>> producer = KAFKA.producer(Topics.REVOCATIONS)) {
            for (int i = 0; i < FACTS; i++) {
                Revocation r = new Revocation(Revocation.Kind.TOKEN, null, null, null, jti(i), now,
                        now.plusSeconds(3600), "ops", null);
                producer.send(new ProducerRecord<>(Topics.REVOCATIONS.name(), r.key(),
                        Event.of(Event.source("test", "it"), r)));
            }
            producer.flush();
        }
    }

    private String jti(int i) {
        return "rebuild-" + run + "-" + i;
    }

    private ProjectionWatcher watcher(RedisSink sink, ProjectionRebuilder rebuilder) {
        return new ProjectionWatcher(sink, rebuilder, Duration.ofSeconds(5));
    }

    private ProjectionRebuilder rebuilder(RedisSink sink) {
        KafkaFactory kafka = new KafkaFactory();
        kafka.bootstrapServers = KAFKA.bootstrapServers();
        return new ProjectionRebuilder(kafka, sink, new ProjectionApplier(sink, Clock.systemUTC(), Duration.ofDays(30)));
    }

    private long presentFacts() {
        try (Jedis jedis = REDIS.jedis()) {
            long present = 0;
            for (int i = 0; i < FACTS; i++) {
                present += jedis.exists(RedisKeys.revokedJti(jti(i))) ? 1 : 0;
            }
            return present;
        }
    }

    private static Map<String, String> projection() {
        try (Jedis jedis = REDIS.jedis()) {
            return jedis.hgetAll(RedisKeys.PROJECTION);
        }
    }

    @Test
    void aRedisRestartedEmptyDuringARebuildIsNotDeclaredReadyUntilARebuildCompletesOnIt() {
        JedisRedisSink real = new JedisRedisSink(pool);
        // Redis "restarts empty" (FLUSHALL) right after this run's 50th fact was written by the rebuild
        AtomicInteger written = new AtomicInteger();
        RedisSink losing = new Delegating(real) {
            @Override
            public boolean marker(String key, long revokedAt, long expireAt) {
                boolean changed = super.marker(key, revokedAt, expireAt);
                if (key.contains(run) && written.incrementAndGet() == 50) {
                    REDIS.flushAll();
                }
                return changed;
            }
        };
        ProjectionWatcher watcher = watcher(losing, rebuilder(losing));
        watcher.check();
        assertThat(written.get()).isGreaterThanOrEqualTo(50);
        // the facts written before the loss are gone: the projection must not say ready
        assertThat(presentFacts()).isLessThan(FACTS);
        assertThat(projection().get(RedisKeys.PROJECTION_STATE_FIELD)).isNotEqualTo(RedisKeys.PROJECTION_READY);

        // the next check finds the hash missing and rebuilds completely
        watcher.check();
        assertThat(projection()).containsEntry(RedisKeys.PROJECTION_STATE_FIELD, RedisKeys.PROJECTION_READY)
                .containsEntry("progress", "100");
        assertThat(presentFacts()).isEqualTo(FACTS);
    }

    @Test
    void ofTwoInstancesOnlyOneRebuildsAndAFinishedProjectionStaysReady() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JedisRedisSink real = new JedisRedisSink(pool);
        RedisSink slow = new Delegating(real) {
            @Override
            public boolean marker(String key, long revokedAt, long expireAt) {
                if (key.contains(run) && holding.getCount() > 0) {
                    holding.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.marker(key, revokedAt, expireAt);
            }
        };
        ProjectionRebuilder a = rebuilder(slow);
        ProjectionRebuilder b = rebuilder(real);
        ProjectionWatcher watcherA = watcher(slow, a);
        ProjectionWatcher watcherB = watcher(real, b);
        Thread first = new Thread(watcherA::check, "instance-a-check");
        first.start();
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
        String claim = projection().get("rebuild");
        assertThat(projection()).containsEntry(RedisKeys.PROJECTION_STATE_FIELD, RedisKeys.PROJECTION_REBUILDING);

        // instance b checks while a is rebuilding: a fresh claim, so b does not start a rebuild of its own
        watcherB.check();
        assertThat(b.rebuilds()).isZero();
        assertThat(projection()).containsEntry("rebuild", claim);

        release.countDown();
        first.join(60_000);
        assertThat(a.rebuilds()).isEqualTo(1);
        assertThat(projection()).containsEntry(RedisKeys.PROJECTION_STATE_FIELD, RedisKeys.PROJECTION_READY);
        watcherB.check();
        assertThat(b.rebuilds()).isZero();
        assertThat(presentFacts()).isEqualTo(FACTS);
    }

    @Test
    void aStaleClaimIsTakenOverAndItsOwnerStops() {
        JedisRedisSink sink = new JedisRedisSink(pool);
        assertThat(sink.claimRebuild("a", ProjectionRebuilder.STALE_AFTER, false)).isTrue();
        assertThat(sink.claimRebuild("b", ProjectionRebuilder.STALE_AFTER, false)).isFalse();
        assertThat(sink.rebuildProgress("a", RedisKeys.PROJECTION_REBUILDING, "10")).isTrue();
        assertThat(sink.rebuildProgress("b", RedisKeys.PROJECTION_REBUILDING, "10")).isFalse();
        // a's instance died: no heartbeat for longer than the bound (here: any heartbeat is too old)
        assertThat(sink.claimRebuild("c", Duration.ZERO, false)).isTrue();
        assertThat(sink.rebuildProgress("a", RedisKeys.PROJECTION_READY, "100")).isFalse();
        assertThat(sink.rebuildProgress("c", RedisKeys.PROJECTION_READY, "100")).isTrue();
        assertThat(sink.projectionState()).isEqualTo(Optional.of(RedisKeys.PROJECTION_READY));
        // ready: nobody claims it again, except the operator's forced rebuild
        assertThat(sink.claimRebuild("d", Duration.ZERO, false)).isFalse();
        assertThat(sink.claimRebuild("e", ProjectionRebuilder.STALE_AFTER, true)).isTrue();
        assertThat(projection()).containsEntry("rebuild", "e")
                .containsEntry(RedisKeys.PROJECTION_STATE_FIELD, RedisKeys.PROJECTION_REBUILDING);
    }

    /** A sink that forwards every call, for tests that intercept one of them. */
    private static class Delegating implements RedisSink {
        private final RedisSink target;

        Delegating(RedisSink target) {
            this.target = target;
        }

        @Override
        public boolean notBefore(String key, long notBefore, long expireAt) {
            return target.notBefore(key, notBefore, expireAt);
        }

        @Override
        public boolean marker(String key, long revokedAt, long expireAt) {
            return target.marker(key, revokedAt, expireAt);
        }

        @Override
        public boolean decision(String key, Map<String, String> fields, long decidedAt) {
            return target.decision(key, fields, decidedAt);
        }

        @Override
        public void family(FamilyWrite family) {
            target.family(family);
        }

        @Override
        public void usage(String key, long count, long expireAt) {
            target.usage(key, count, expireAt);
        }

        @Override
        public Optional<String> projectionState() {
            return target.projectionState();
        }

        @Override
        public boolean claimRebuild(String rebuildId, Duration staleAfter, boolean force) {
            return target.claimRebuild(rebuildId, staleAfter, force);
        }

        @Override
        public boolean rebuildProgress(String rebuildId, String state, String progress) {
            return target.rebuildProgress(rebuildId, state, progress);
        }

        @Override
        public void publish(String message) {
            target.publish(message);
        }
    }
}
