package io.tollgate.shared.startup;

import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.setup.Bootstrap;

/** What every Tollgate service's {@code Application} sets up before its configuration is read. */
public final class ServiceStartup {
    private ServiceStartup() {
    }

    /** For {@code Application.addDefaultCommands}: {@code server} (with one-line refusals) and {@code check}. */
    public static <T extends Configuration> void addCommands(Application<T> application, Bootstrap<T> bootstrap) {
        bootstrap.addCommand(new RefusingServerCommand<>(application));
        bootstrap.addCommand(new CheckCommand<>(application));
    }

    /** For {@code Application.initialize}: environment variables substituted, required ones enforced. */
    public static void substituteEnvironment(Bootstrap<?> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new RequiredEnvironment()));
    }
}
