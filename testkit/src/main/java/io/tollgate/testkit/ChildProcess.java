package io.tollgate.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * A server started as a child process, its output in a log file, stopped with its whole process
 * tree. A JVM shutdown hook kills whatever a test forgot, so no orphan outlives the test JVM.
 */
public final class ChildProcess implements AutoCloseable {
    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process;
    private Thread hook;

    public ChildProcess(String name, List<String> command, Path log) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
    }

    /** Waits {@code ms} between two readiness probes of a starting child; an interrupt ends the wait with an error. */
    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A {@code java} command line for {@code mainClass} on this JVM's classpath, with an explicit heap. */
    public static List<String> java(String maxHeap, List<String> jvmArgs, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + maxHeap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xshare:auto");
        cmd.add("-Duser.timezone=UTC");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(currentClasspath());
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /**
     * This JVM's classpath, with a manifest-only jar (as Surefire and {@code java -jar} use) expanded
     * into its {@code Class-Path} entries.
     */
    public static String currentClasspath() {
        String cp = System.getProperty("java.class.path");
        String[] entries = cp.split(File.pathSeparator);
        List<String> out = new ArrayList<>();
        for (String entry : entries) {
            out.add(entry);
            if (entry.endsWith(".jar")) {
                out.addAll(manifestClassPath(Path.of(entry)));
            }
        }
        return String.join(File.pathSeparator, out);
    }

    private static List<String> manifestClassPath(Path jar) {
        List<String> out = new ArrayList<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest manifest = jf.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath == null) {
                return out;
            }
            for (String item : classPath.trim().split("\\s+")) {
                if (item.isEmpty()) {
                    continue;
                }
                java.net.URI uri = jar.toUri().resolve(item);
                out.add(Path.of(uri).toString());
            }
        } catch (IOException | IllegalArgumentException e) {
            // not a jar we can read: keep the entry as it is
        }
        return out;
    }

    public synchronized ChildProcess start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        try {
            log.getParent().toFile().mkdirs();
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
        if (hook == null) {
            hook = new Thread(this::kill, "kill-" + name);
            Runtime.getRuntime().addShutdownHook(hook);
        }
        return this;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Waits for the process to exit on its own (a one-shot tool) and returns its exit code. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new IllegalStateException(name + " did not finish within " + timeout + "; see " + log);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        }
    }

    /** SIGTERM, then SIGKILL after {@code grace}: the way an orchestrator stops a server. */
    public synchronized void stop(Duration grace) {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** SIGKILL to the process and its descendants: a crash. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
            hook = null;
        }
    }
}
