package io.tollgate.shared.startup;

import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.tollgate.shared.config.ServiceConfiguration;
import io.tollgate.shared.config.ServiceConfigurationFactoryFactory;
import io.tollgate.shared.metrics.PrometheusEndpoint;

/**
 * The start every Tollgate service shares: environment variables substituted into its YAML (required ones
 * enforced), every key of the YAML known ({@link ServiceConfigurationFactoryFactory}), {@code server} and
 * {@code check} as its only commands (start-up refusals as one line), the demo operator refused unless the
 * configuration allows it, and {@code /metrics} on the admin port. A service says what it builds in
 * {@link #start}.
 */
public abstract class ServiceApplication<C extends ServiceConfiguration> extends Application<C> {

    /**
     * Environment variables substituted into the YAML (an unset {@code ${VAR}} without a default is refused), and
     * the YAML read with every unknown key refused.
     */
    @Override
    public final void initialize(Bootstrap<C> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new RequiredEnvironment()));
        bootstrap.setConfigurationFactoryFactory(new ServiceConfigurationFactoryFactory<>());
    }

    /** {@code server} (start-up refusals as one line, exit 1) and {@code check}. */
    @Override
    protected final void addDefaultCommands(Bootstrap<C> bootstrap) {
        bootstrap.addCommand(new RefusingServerCommand<>(this));
        bootstrap.addCommand(new CheckCommand<>(this));
    }

    @Override
    public final void run(C config, Environment environment) throws Exception {
        DemoOperator.refuse(config.operators, config.allowDemoOperator);
        PrometheusEndpoint.register(environment);
        start(config, environment);
    }

    /** Builds and registers the service's parts; the configuration has been checked. */
    protected abstract void start(C config, Environment environment) throws Exception;
}
