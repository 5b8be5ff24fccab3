package io.tollgate.ops.stack;

import io.tollgate.cli.ServiceSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ops/tollgate-stack}: starts the local stack, prints where everything is, and stops it all on
 * SIGINT/SIGTERM. Every option has an environment variable; a flag wins over the environment.
 */
@Command(name = "tollgate-stack", mixinStandardHelpOptions = true,
        description = "Runs Kafka, Redis, an identity provider (LDAP or HTTP), the demo upstream and every built Tollgate "
                + "service on loopback.")
public final class StackMain implements Callable<Integer> {

    @Option(names = "--root", description = "Repository root (where <module>/target/<module>.jar live). Env TOLLGATE_HOME.")
    Path root = env("TOLLGATE_HOME").map(Path::of).orElse(Path.of("")).toAbsolutePath();

    @Option(names = "--data-dir", description = "Data and logs (default <root>/.stack). Env TOLLGATE_DATA_DIR.")
    Path dataDir = env("TOLLGATE_DATA_DIR").map(Path::of).orElse(null);

    @Option(names = "--kafka-port", description = "Env TOLLGATE_KAFKA_PORT (default 9092).")
    int kafkaPort = envInt("TOLLGATE_KAFKA_PORT", 9092);

    @Option(names = "--kafka-controller-port", description = "Env TOLLGATE_KAFKA_CONTROLLER_PORT (default 9093).")
    int kafkaControllerPort = envInt("TOLLGATE_KAFKA_CONTROLLER_PORT", 9093);

    @Option(names = "--redis-host", description = "Env TOLLGATE_REDIS_HOST (default 127.0.0.1).")
    String redisHost = env("TOLLGATE_REDIS_HOST").orElse("127.0.0.1");

    @Option(names = "--redis-port", description = "Env TOLLGATE_REDIS_PORT (default 6379).")
    int redisPort = envInt("TOLLGATE_REDIS_PORT", 6379);

    @Option(names = "--ldap-port", description = "Env TOLLGATE_LDAP_PORT (default 10389).")
    int ldapPort = envInt("TOLLGATE_LDAP_PORT", 10389);

    @Option(names = "--idp", description = "The identity provider: ldap (the demo directory; services run "
            + "config/local.yml) or http (the demo HTTP identity provider instead; token-api and policy-worker run "
            + "config/http-idp.yml). Env TOLLGATE_IDP (default ldap).")
    String idp = env("TOLLGATE_IDP").orElse("ldap");

    @Option(names = "--idp-port", description = "The demo HTTP identity provider's port. Env TOLLGATE_IDP_PORT (default 9100).")
    int idpPort = envInt("TOLLGATE_IDP_PORT", 9100);

    @Option(names = "--upstream-port", description = "Env TOLLGATE_UPSTREAM_PORT (default 9000).")
    int upstreamPort = envInt("TOLLGATE_UPSTREAM_PORT", 9000);

    @Option(names = "--port", description = "A service's main port, e.g. --port token-api=18080. Env TOLLGATE_<SERVICE>_PORT.")
    Map<String, Integer> ports = Map.of();

    @Option(names = "--admin-port", description = "A service's admin port, e.g. --admin-port gateway=18001. Env TOLLGATE_<SERVICE>_ADMIN_PORT.")
    Map<String, Integer> adminPorts = Map.of();

    @Option(names = "--timeout", description = "Seconds each part may take to become healthy (default 180).")
    int timeoutSeconds = envInt("TOLLGATE_STACK_TIMEOUT", 180);

    @Option(names = "--bench-users", description = "Adds N entitled users user0001..userNNNN (passwords pw-0001..) to the "
            + "demo directory, for benchmarks. Env TOLLGATE_BENCH_USERS (default 0).")
    int benchUsers = envInt("TOLLGATE_BENCH_USERS", 0);

    @Option(names = "--check", description = "Start everything, verify health, stop cleanly; exit 0 only if all was healthy.")
    boolean check;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final PrintStream out;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    public StackMain(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        StackMain main = new StackMain(System.out);
        // Our own signal handlers, not a shutdown hook: the stop must run in order (services, then Kafka
        // gracefully) before the JVM starts shutting down and the fixtures' kill-hooks fire.
        for (String signal : new String[] {"INT", "TERM"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> main.requestStop());
        }
        int code = new CommandLine(main).execute(args);
        System.exit(code);
    }

    /** Asks a running stack to stop (what SIGINT/SIGTERM do). */
    public void requestStop() {
        stopRequested.countDown();
    }

    StackConfig config() {
        StackConfig config = new StackConfig();
        config.root = root;
        config.dataDir = dataDir == null ? null : dataDir.toAbsolutePath();
        config.kafkaPort = kafkaPort;
        config.kafkaControllerPort = kafkaControllerPort;
        config.redisHost = redisHost;
        config.redisPort = redisPort;
        config.ldapPort = ldapPort;
        config.upstreamPort = upstreamPort;
        config.idp = switch (idp.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "ldap" -> StackConfig.Idp.LDAP;
            case "http" -> StackConfig.Idp.HTTP;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--idp (TOLLGATE_IDP) is ldap or http, not '" + idp + "'");
        };
        config.idpPort = idpPort;
        config.startTimeout = Duration.ofSeconds(timeoutSeconds);
        config.benchUsers = benchUsers;
        for (ServiceSpec spec : ServiceSpec.ALL) {
            config.ports.put(spec.module(), envInt(spec.portEnv(), spec.port()));
            config.adminPorts.put(spec.module(), envInt(spec.adminPortEnv(), spec.adminPort()));
        }
        ports.forEach((module, port) -> config.ports.put(ServiceSpec.named(module).module(), port));
        adminPorts.forEach((module, port) -> config.adminPorts.put(ServiceSpec.named(module).module(), port));
        return config;
    }

    @Override
    public Integer call() throws Exception {
        StackConfig config = config();
        Stack stack = new Stack(config, out);
        boolean healthy;
        try {
            healthy = stack.start();
        } catch (Exception e) {
            StringBuilder reason = new StringBuilder(String.valueOf(e.getMessage()));
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                reason.append(": ").append(c.getMessage());
            }
            out.println("event=stack.failed reason=\"" + reason + "\"");
            stack.close();
            return 1;
        }
        stack.printSummary();
        if (check) {
            Map<String, Boolean> now = stack.probe();
            healthy &= now.values().stream().allMatch(Boolean::booleanValue);
            out.println((healthy ? "CHECK OK" : "CHECK FAILED") + ": " + now);
            stack.close();
            return healthy ? 0 : 1;
        }
        out.println(healthy ? "READY: every started part is healthy. Ctrl-C stops everything."
                : "READY WITH FAILURES (see above). Ctrl-C stops everything.");
        out.flush();
        stopRequested.await();
        out.println("stopping...");
        stack.close();
        out.println("stopped.");
        return 0;
    }

    static java.util.Optional<String> env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(value);
    }

    static int envInt(String name, int fallback) {
        return env(name).map(Integer::parseInt).orElse(fallback);
    }
}
