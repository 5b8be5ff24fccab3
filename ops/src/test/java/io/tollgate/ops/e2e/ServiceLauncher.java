package io.tollgate.ops.e2e;

import io.tollgate.testkit.ChildProcess;
import io.tollgate.testkit.Hosts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How the multi-host test starts a Tollgate service on a host, as an operator would: the distribution tarball
 * ({@code dist/target/tollgate-<version>.tar.gz}, system property {@code tollgate.tarball}) unpacked once, and
 * {@code bin/tollgate-<service>} run with the tarball's own {@code config/<service>.yml} (the production template),
 * configured by environment variables only, inside the host's network namespace. The heap is
 * {@code TOLLGATE_HEAP}, further JVM options are {@code JAVA_OPTS}: the launcher's own variables.
 */
final class ServiceLauncher {
    /** The system property naming the tarball (set by ops' Failsafe configuration). */
    static final String TARBALL = "tollgate.tarball";
    /** Two services on a small machine: lean JVMs (the launcher's config/jvm.options still apply). */
    private static final String JAVA_OPTS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Duser.timezone=UTC";

    private final Path home;
    private final Hosts hosts;
    private final Path logs;
    private final String heap;

    private ServiceLauncher(Path home, Hosts hosts, Path logs, String heap) {
        this.home = home;
        this.hosts = hosts;
        this.logs = logs;
        this.heap = heap;
    }

    /**
     * Unpacks {@code tarball} into {@code directory} (as {@code tar -xzf} would: the launchers stay executable) and
     * launches services from it, each JVM with heap {@code heap}, logs in {@code logs}.
     */
    static ServiceLauncher unpack(Path tarball, Path directory, Hosts hosts, Path logs, String heap)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(tarball)) {
            throw new IllegalStateException("no distribution tarball " + tarball
                    + ": mvn -B package -pl ops -am builds it (dist) before ops' integration tests");
        }
        Files.createDirectories(directory);
        Path log = directory.resolve("tar.log");
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", directory.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!tar.waitFor(5, TimeUnit.MINUTES) || tar.exitValue() != 0) {
            tar.destroyForcibly();
            throw new IllegalStateException("tar -xzf " + tarball + " failed: " + Files.readString(log));
        }
        Path home;
        try (Stream<Path> entries = Files.list(directory)) {
            home = entries.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().startsWith("tollgate-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(tarball + " holds no tollgate-<version>/"));
        }
        return new ServiceLauncher(home, hosts, logs, heap);
    }

    /** The unpacked distribution's directory, {@code tollgate-<version>}. */
    Path home() {
        return home;
    }

    /**
     * Service {@code module} on {@code host} (not yet started): {@code bin/tollgate-<module>} with this environment
     * (and {@code TOLLGATE_HEAP}, {@code JAVA_OPTS}, {@code JAVA_HOME} = this JVM's), its log
     * {@code <logs>/<module>-<host>.log}. The launcher {@code exec}s the JVM, so the process is the service.
     */
    ChildProcess service(String module, String host, Map<String, String> environment) {
        List<String> command = new ArrayList<>(List.of("env"));
        command.add("JAVA_HOME=" + System.getProperty("java.home"));
        command.add("TOLLGATE_HEAP=" + heap);
        command.add("JAVA_OPTS=" + JAVA_OPTS);
        environment.forEach((name, value) -> command.add(name + "=" + value));
        command.add(home.resolve("bin").resolve("tollgate-" + module).toString());
        String name = module + "-" + host;
        return hosts.exec(host, name, logs.resolve(name + ".log"), command);
    }
}
