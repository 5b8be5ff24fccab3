package io.tollgate.revocation;

import io.dropwizard.core.setup.Environment;
import io.tollgate.shared.startup.ServiceApplication;
import io.tollgate.revocation.core.ProjectionApplier;
import io.tollgate.revocation.core.PropagationDelay;
import io.tollgate.revocation.core.RedisRetry;
import io.tollgate.revocation.kafka.ProjectionRebuilder;
import io.tollgate.revocation.kafka.ProjectionTopology;
import io.tollgate.revocation.kafka.ProjectionWatcher;
import io.tollgate.revocation.kafka.StreamsHealthCheck;
import io.tollgate.shared.health.ReadinessServlet;
import io.tollgate.revocation.kafka.StreamsManager;
import io.tollgate.revocation.kafka.StreamsSettings;
import io.tollgate.revocation.redis.JedisRedisSink;
import io.tollgate.revocation.resources.UsageResource;
import io.tollgate.revocation.tasks.RebuildProjectionTask;
import io.tollgate.shared.admin.AdminTasks;
import com.codahale.metrics.Gauge;

import java.time.Clock;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;

public class RevocationStreamApplication extends ServiceApplication<RevocationStreamConfiguration> {

    public static void main(String[] args) throws Exception {
        new RevocationStreamApplication().run(args);
    }

    @Override
    public String getName() {
        return "revocation-stream";
    }

    @Override
    protected void start(RevocationStreamConfiguration config, Environment environment) throws Exception {
        AdminTasks.requireOperators(environment, config.operators);
        config.kafka.ensureTopics(environment, "revocation-stream-admin");
        Pool<Jedis> pool = config.redis.build(environment);
        JedisRedisSink sink = new JedisRedisSink(pool);
        RedisRetry retry = new RedisRetry(config.redisRetryBudget.toJavaDuration());
        ProjectionApplier applier = new ProjectionApplier(sink, Clock.systemUTC(),
                config.tokens.refreshTokenLifetime.toJavaDuration());

        PropagationDelay delay = new PropagationDelay(PropagationDelay.histogram(environment.metrics()),
                Clock.systemUTC());

        ProjectionRebuilder rebuilder = new ProjectionRebuilder(config.kafka, sink, applier);
        ProjectionWatcher watcher = new ProjectionWatcher(sink, rebuilder,
                config.projectionCheckInterval.toJavaDuration());
        StreamsManager streams = new StreamsManager(
                ProjectionTopology.build(sink, applier, retry, delay, config.usageGrace.toJavaDuration(),
                        config.usageKeep.toJavaDuration()),
                StreamsSettings.properties(config));
        environment.lifecycle().manage(watcher);
        environment.lifecycle().manage(streams);

        environment.metrics().register("projection.rebuild.progress", (Gauge<Integer>) rebuilder::progress);
        environment.metrics().register("projection.redis.failures", (Gauge<Long>) retry::failures);
        environment.metrics().register("streams.process.rate", (Gauge<Double>) () -> streams.threadMetric("process-rate"));
        // Records processed since the Streams client started (all threads): the dashboard's throughput is its rate.
        environment.metrics().register("streams.records.processed",
                (Gauge<Double>) () -> streams.threadMetric("process-total"));
        environment.metrics().register("streams.commit.latency.avg",
                (Gauge<Double>) () -> streams.threadMetric("commit-latency-avg"));
        // Named like the policy worker's policy.consumer.lag: records behind, summed over this instance's partitions.
        environment.metrics().register("streams.consumer.lag", (Gauge<Long>) streams::consumerLag);
        environment.healthChecks().register("streams", new StreamsHealthCheck(streams));
        // Kafka is this service's work: every health check, Kafka's and the Streams state included, decides readiness.
        ReadinessServlet.register(environment, java.util.Set.of());
        environment.admin().addTask(new RebuildProjectionTask(watcher,
                environment.metrics().counter("projection.rebuild.requests")));
        environment.jersey().register(new UsageResource(pool));
    }
}
