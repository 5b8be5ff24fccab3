package io.tollgate.ops.stack;

import io.tollgate.shared.testing.ChildProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A Tollgate service as a child JVM: {@code java -Xmx256m -jar <module>.jar server <module>/config/local.yml}. */
final class ServicePart implements Part {
    private final ServiceSpec spec;
    private final StackConfig config;
    private ChildProcess process;

    ServicePart(ServiceSpec spec, StackConfig config) {
        this.spec = spec;
        this.config = config;
    }

    @Override
    public String name() {
        return spec.module();
    }

    boolean built() {
        return Files.isRegularFile(spec.jar(config.root));
    }

    /** The command line: the shared environment through {@code env}, ports through Dropwizard overrides. */
    List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add("env");
        for (Map.Entry<String, String> e : config.serviceEnvironment().entrySet()) {
            cmd.add(e.getKey() + "=" + e.getValue());
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + config.serviceHeap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Duser.timezone=UTC");
        cmd.add("-Ddw.server.adminConnectors[0].port=" + config.adminPort(spec.module()));
        if (spec.portOverride() != null) {
            cmd.add("-Ddw." + spec.portOverride() + "=" + config.port(spec.module()));
        }
        cmd.add("-jar");
        cmd.add(spec.jar(config.root).toString());
        cmd.add("server");
        cmd.add(spec.config(config.root).toString());
        return cmd;
    }

    @Override
    public void start() {
        process = new ChildProcess(spec.module(), command(), config.logs().resolve(spec.module() + ".log")).start();
    }

    @Override
    public boolean healthy() {
        return process != null && process.isAlive() && UpstreamPart.Http.status(config.healthUrl(spec.module())) == 200;
    }

    @Override
    public boolean exited() {
        return process != null && !process.isAlive();
    }

    @Override
    public String endpoint() {
        String main = "http://" + config.host + ":" + config.port(spec.module());
        return (spec.portOverride() != null ? main + "  " : "") + "health " + config.healthUrl(spec.module());
    }

    @Override
    public String log() {
        return config.logs().resolve(spec.module() + ".log").toString();
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
