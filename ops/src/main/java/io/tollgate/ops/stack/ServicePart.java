package io.tollgate.ops.stack;

import io.tollgate.cli.ServiceSpec;
import io.tollgate.testkit.ChildProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A Tollgate service as a child JVM: {@code java -Xmx256m -jar <module>.jar server <module>/config/local.yml}. */
final class ServicePart extends Part {
    private final ServiceSpec spec;
    private final String node;
    private final int port;
    private final int adminPort;
    private ChildProcess process;

    ServicePart(ServiceSpec spec, StackConfig config) {
        this(spec, config, spec.module(), config.node, config.port(spec.module()), config.adminPort(spec.module()));
    }

    /** Another node of the same service (e.g. a second gateway), on its own ports and node name. */
    ServicePart(ServiceSpec spec, StackConfig config, String name, String node, int port, int adminPort) {
        super(name, config);
        this.spec = spec;
        this.node = node;
        this.port = port;
        this.adminPort = adminPort;
    }

    private String healthUrl() {
        return "http://" + config.host + ":" + adminPort + "/healthcheck";
    }

    boolean built() {
        return Files.isRegularFile(spec.jar(config.root));
    }

    /** The command line: the shared environment through {@code env}, ports through Dropwizard overrides. */
    List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add("env");
        Map<String, String> env = new java.util.LinkedHashMap<>(config.serviceEnvironment());
        env.put("TOLLGATE_NODE", node);
        for (Map.Entry<String, String> e : env.entrySet()) {
            cmd.add(e.getKey() + "=" + e.getValue());
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + config.serviceHeap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Duser.timezone=UTC");
        cmd.addAll(config.serviceJvmArgs.getOrDefault(spec.module(), List.of()));
        cmd.add("-Ddw.server.adminConnectors[0].port=" + adminPort);
        if (spec.portOverride() != null) {
            cmd.add("-Ddw." + spec.portOverride() + "=" + port);
        }
        cmd.add("-jar");
        cmd.add(spec.jar(config.root).toString());
        cmd.add("server");
        cmd.add(config.serviceConfig(spec).toString());
        return cmd;
    }

    @Override
    public void start() {
        process = new ChildProcess(name(), command(), config.logs().resolve(name() + ".log")).start();
    }

    @Override
    public boolean healthy() {
        return process != null && process.isAlive() && UpstreamPart.Http.status(healthUrl()) == 200;
    }

    @Override
    public boolean exited() {
        return process != null && !process.isAlive();
    }

    @Override
    public String endpoint() {
        String main = "http://" + config.host + ":" + port;
        return (spec.portOverride() != null ? main + "  " : "") + "health " + healthUrl();
    }

    @Override
    public String log() {
        return config.logs().resolve(name() + ".log").toString();
    }

    /** The process id while running (-1 otherwise), e.g. to read its memory. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** SIGKILL to the JVM: a crash, with no shutdown hook and no managed stop. {@link #restart()} starts it again. */
    void kill() {
        if (process != null) {
            process.kill();
        }
    }

    /** Starts the JVM again after {@link #kill()}: the same command, ports and node name; its log is appended to. */
    void restart() {
        if (process == null) {
            start();
        } else {
            process.start();
        }
    }

    @Override
    public void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(20)); // SIGTERM: Dropwizard stops its managed objects in order
            process.close();
            process = null;
        }
    }
}
