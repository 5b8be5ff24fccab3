package io.tollgate.shared.startup;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * Dropwizard's {@code server} command, except that a configuration the service refuses ({@link StartupRefusal}) or
 * cannot parse ends the start with the reason on standard error, not a stack trace. Any other failure prints
 * its stack trace as Dropwizard does. The process then exits non-zero ({@code Application.onFatalError}).
 */
public final class RefusingServerCommand<T extends Configuration> extends ServerCommand<T> {
    private final String service;

    public RefusingServerCommand(Application<T> application) {
        super(application);
        this.service = application.getName();
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StartupRefusal || t instanceof ConfigurationException) {
                cli.getStdErr().println(service + ": refusing to start: " + t.getMessage().strip());
                cli.getStdErr().flush();
                return;
            }
        }
        super.onError(cli, namespace, e);
    }
}
