package io.tollgate.gateway;

import io.dropwizard.core.setup.Environment;
import io.tollgate.shared.startup.ServiceApplication;
import io.tollgate.shared.admin.AdminTasks;
import io.tollgate.shared.health.ReadinessServlet;

/**
 * The gateway. Its data plane is a Netty server ({@link GatewayServer}) on {@code proxy.port}; Dropwizard
 * hosts only the admin side (health checks, metrics, tasks) on its admin connector.
 */
public class GatewayApplication extends ServiceApplication<GatewayConfiguration> {
    private volatile GatewayServer server;

    public static void main(String[] args) throws Exception {
        new GatewayApplication().run(args);
    }

    @Override
    public String getName() {
        return "tollgate-gateway";
    }

    /** The data plane, once {@link #run} has built it. */
    public GatewayServer server() {
        return server;
    }

    @Override
    protected void start(GatewayConfiguration config, Environment environment) throws Exception {
        AdminTasks.requireOperators(environment, config.operators);
        // Built before the topics are ensured: a configuration the gateway cannot honour (its TLS engine or files, an
        // upstream) is refused at once, not after waiting for the brokers. It connects to nothing until started.
        server = new GatewayServer(config, environment.metrics());
        config.kafka.ensureTopics(environment, "gateway-admin-" + config.node);
        environment.lifecycle().manage(server);
        server.healthChecks().forEach(environment.healthChecks()::register);
        // Ready without Kafka: the gateway serves through a broker outage (call events are buffered); the kafka
        // check stays in /healthcheck.
        ReadinessServlet.register(environment, java.util.Set.of("kafka"));
    }
}
