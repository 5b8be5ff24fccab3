package io.tollgate.policy;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.core.setup.Environment;
import io.tollgate.shared.startup.ServiceApplication;
import io.tollgate.policy.core.AccountStatusPolicy;
import io.tollgate.policy.core.ContextLoader;
import io.tollgate.policy.core.DeviceLimitPolicy;
import io.tollgate.policy.core.LicensePolicy;
import io.tollgate.policy.core.PolicyChain;
import io.tollgate.policy.kafka.PolicyLoop;
import io.tollgate.policy.account.AccountSource;
import io.tollgate.policy.core.Policy;
import io.tollgate.policy.redis.FamilyReader;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.registry.RegistryConsumer;
import io.tollgate.shared.health.ReadinessServlet;
import io.tollgate.shared.registry.RegistryHealthCheck;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.shared.admin.AdminTasks;

import java.time.Clock;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;

public class PolicyWorkerApplication extends ServiceApplication<PolicyWorkerConfiguration> {

    public static void main(String[] args) throws Exception {
        new PolicyWorkerApplication().run(args);
    }

    @Override
    public String getName() {
        return "policy-worker";
    }

    @Override
    protected void start(PolicyWorkerConfiguration config, Environment environment) throws Exception {
        AdminTasks.requireOperators(environment, config.operators);
        config.kafka.ensureTopics(environment, "policy-worker-admin-" + config.node);
        Pool<Jedis> redis = config.redis.build(environment);
        AccountSource accounts = config.identityProvider.build(environment);

        RegistryView registry = new RegistryView();
        environment.lifecycle().manage(new RegistryConsumer(config.kafka, registry,
                "policy-worker-registry-" + config.node, config.registryStartupTimeout.toJavaDuration()));
        environment.healthChecks().register("registry", new RegistryHealthCheck(registry));

        ContextLoader loader = new ContextLoader(accounts, config.license.build(), new FamilyReader(redis),
                registry, Clock.systemUTC());
        List<Policy> policies = config.license.enforced()
                ? List.of(new AccountStatusPolicy(), new LicensePolicy(), new DeviceLimitPolicy())
                : List.of(new AccountStatusPolicy(), new DeviceLimitPolicy());
        PolicyChain chain = new PolicyChain(policies, environment.metrics());
        PolicyLoop loop = new PolicyLoop(config.kafka, config.groupId,
                config.transactionalIdPrefix + "-" + config.node, loader, chain,
                Event.source("policy-worker", config.node), config.tokens.revocationLifetime(),
                config.loadBudget.toJavaDuration());
        environment.lifecycle().manage(loop);

        environment.metrics().register("policy.records.processed", (Gauge<Long>) loop::processed);
        environment.metrics().register("policy.records.dead_lettered", (Gauge<Long>) loop::deadLetters);
        environment.metrics().register("policy.consumer.lag", (Gauge<Long>) loop::lag);
        environment.metrics().register("policy.source.unavailable", (Gauge<Long>) loop::sourceUnavailable);
        environment.metrics().register("policy.source.retries", (Gauge<Long>) loop::sourceRetries);
        environment.metrics().register("policy.batches.split", (Gauge<Long>) loop::splitBatches);
        environment.healthChecks().register("policy-loop", new HealthCheck() {
            @Override
            protected Result check() {
                return loop.isAlive() ? Result.healthy() : Result.unhealthy("policy loop stopped");
            }
        });
        // Kafka is this service's work: every health check, Kafka's included, decides readiness.
        ReadinessServlet.register(environment, java.util.Set.of());
    }
}
