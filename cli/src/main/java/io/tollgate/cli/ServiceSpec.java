package io.tollgate.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A Tollgate service the local stack runs as a child JVM from its runnable jar. Adding a service to the
 * stack is one line in {@link #ALL}.
 *
 * @param module       the Maven module; the jar is {@code <module>/target/<module>.jar}, the config
 *                     {@code <module>/config/local.yml}
 * @param port         the default main port (HTTP API or proxy)
 * @param adminPort    the default Dropwizard admin port, where {@code /healthcheck} answers
 * @param portOverride the Dropwizard config path of the main port, overridden with {@code -Ddw.<path>=port}
 *                     (null when the service has no main listener of its own)
 */
public record ServiceSpec(String module, int port, int adminPort, String portOverride) {

    /** Start order: token-api first (the gateway fetches its JWKS), the gateway last. */
    public static final List<ServiceSpec> ALL = List.of(
            new ServiceSpec("token-api", 8080, 8081, "server.applicationConnectors[0].port"),
            new ServiceSpec("policy-worker", 8085, 8086, "server.applicationConnectors[0].port"),
            new ServiceSpec("revocation-stream", 8087, 8088, "server.applicationConnectors[0].port"),
            new ServiceSpec("gateway", 8000, 8001, "proxy.port"));

    public static ServiceSpec named(String module) {
        return ALL.stream().filter(s -> s.module.equals(module)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown service " + module + "; known: "
                        + ALL.stream().map(ServiceSpec::module).toList()));
    }

    public Path jar(Path root) {
        return root.resolve(module).resolve("target").resolve(module + ".jar");
    }

    public Path config(Path root) {
        return root.resolve(module).resolve("config").resolve("local.yml");
    }

    /** {@code TOLLGATE_TOKEN_API} for token-api: the prefix of this service's port variables. */
    public String envPrefix() {
        return "TOLLGATE_" + module.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public String portEnv() {
        return envPrefix() + "_PORT";
    }

    public String adminPortEnv() {
        return envPrefix() + "_ADMIN_PORT";
    }
}
