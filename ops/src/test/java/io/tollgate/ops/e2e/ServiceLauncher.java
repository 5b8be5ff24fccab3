package io.tollgate.ops.e2e;

import io.tollgate.cli.ServiceSpec;
import io.tollgate.testkit.ChildProcess;
import io.tollgate.testkit.Hosts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the multi-host test starts a Tollgate service on a host, as an operator would: the service's runnable jar
 * with its production template ({@code <module>/config/production.yml}), configured by environment variables only,
 * inside the host's network namespace. The one place that knows the distribution's layout.
 */
final class ServiceLauncher {
    private final Path root;
    private final Hosts hosts;
    private final Path logs;
    private final String heap;

    ServiceLauncher(Path root, Hosts hosts, Path logs, String heap) {
        this.root = root;
        this.hosts = hosts;
        this.logs = logs;
        this.heap = heap;
    }

    /** True when every service's jar is built (what {@code mvn package} makes before the integration tests). */
    boolean built() {
        return ServiceSpec.ALL.stream().allMatch(spec -> spec.jar(root).toFile().isFile());
    }

    /**
     * Service {@code module} on {@code host} (not yet started) with this environment, its log
     * {@code <logs>/<module>-<host>.log}. {@code jvmOptions} go to the JVM ({@code JAVA_OPTS} of a launcher script).
     */
    ChildProcess service(String module, String host, Map<String, String> environment, List<String> jvmOptions) {
        List<String> command = new ArrayList<>(List.of("env"));
        environment.forEach((name, value) -> command.add(name + "=" + value));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Duser.timezone=UTC");
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(root.resolve(module).resolve("target").resolve(module + ".jar").toString());
        command.add("server");
        command.add(root.resolve(module).resolve("config").resolve("production.yml").toString());
        String name = module + "-" + host;
        return hosts.exec(host, name, logs.resolve(name + ".log"), command);
    }
}
