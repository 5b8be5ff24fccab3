package io.tollgate.revocation;

import io.prometheus.metrics.core.metrics.Histogram;
import io.tollgate.revocation.core.ProjectionApplier;
import io.tollgate.revocation.core.PropagationDelay;
import io.tollgate.revocation.core.RedisRetry;
import io.tollgate.revocation.kafka.ProjectionTopology;
import io.tollgate.revocation.kafka.StreamsManager;
import io.tollgate.revocation.redis.JedisRedisSink;
import io.tollgate.testkit.KafkaExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;

import java.time.Clock;
import java.util.Properties;
import java.util.UUID;

/** The service's projection topology without its HTTP side, for tests that start, stop and pause it themselves. */
final class TestProjection {
    private TestProjection() {
    }

    /** The service's defaults on the test's broker, under {@code applicationId}, with a fresh state directory. */
    static RevocationStreamConfiguration config(KafkaExtension kafka, String applicationId) {
        RevocationStreamConfiguration config = new RevocationStreamConfiguration();
        config.kafka.bootstrapServers = kafka.bootstrapServers();
        config.applicationId = applicationId;
        config.stateDir = "target/it-state/" + UUID.randomUUID();
        config.usageKeep = io.dropwizard.util.Duration.days(1); // a test's windows need not outlive it
        return config;
    }

    /**
     * The topology as the service builds it from {@code config}, writing through {@code pool} and timing propagation
     * in {@code delays}; not started.
     */
    static StreamsManager manager(RevocationStreamConfiguration config, Pool<Jedis> pool, Histogram delays,
                                  Properties properties) {
        JedisRedisSink sink = new JedisRedisSink(pool);
        RedisRetry retry = new RedisRetry(config.redisRetryBudget.toJavaDuration());
        ProjectionApplier applier = new ProjectionApplier(sink, Clock.systemUTC(),
                config.tokens.refreshTokenLifetime.toJavaDuration());
        return new StreamsManager(ProjectionTopology.build(sink, applier, retry,
                new PropagationDelay(delays, Clock.systemUTC()), config.usageGrace.toJavaDuration(),
                config.usageKeep.toJavaDuration()), properties);
    }
}
