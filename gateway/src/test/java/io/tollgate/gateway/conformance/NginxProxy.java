package io.tollgate.gateway.conformance;

import io.tollgate.testkit.FreePorts;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx (Debian's {@code nginx-light}) run as a plain reverse proxy with what its package ships: the
 * http-block defaults of Debian's {@code /etc/nginx/nginx.conf} ({@code worker_processes auto}, sendfile,
 * tcp_nopush, gzip...) and one server whose {@code location /} is a bare {@code proxy_pass}. Nothing is
 * hardened. Only the paths differ (pid, logs, temp directories in a temp directory) and it runs in the
 * foreground ({@code daemon off}) so the test owns the process and kills it.
 */
final class NginxProxy implements AutoCloseable {
    private static final List<String> CANDIDATES = List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx",
            "/usr/bin/nginx");

    private final Process process;
    private final Path dir;
    private final int port;
    private final Thread reaper;

    private NginxProxy(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.reaper = new Thread(process::destroyForcibly, "nginx-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** The nginx binary, or an {@link AssertionError} saying how to get it: the proof must not be skipped. */
    static Path binary() {
        for (String candidate : CANDIDATES) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new AssertionError("nginx not found (looked in " + CANDIDATES + "): the differential proof needs a "
                + "real nginx; install Debian's nginx-light (apt-get install nginx-light), as .ci/run does");
    }

    static NginxProxy start(int upstreamPort) throws Exception {
        Path nginx = binary();
        Path dir = Files.createTempDirectory("nginx-diff-");
        // as root the workers run as www-data (the package's "user"), which must reach the temp paths
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = FreePorts.find();
        boolean root = "root".equals(System.getProperty("user.name"));
        String conf = (root ? "user www-data;\n" : "") + """
                worker_processes auto;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                daemon off;

                events {
                \tworker_connections 768;
                }

                http {
                \tsendfile on;
                \ttcp_nopush on;
                \ttypes_hash_max_size 2048;
                \tdefault_type application/octet-stream;
                \tssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
                \tssl_prefer_server_ciphers on;
                \taccess_log %1$s/access.log;
                \tgzip on;

                \tclient_body_temp_path %1$s/body;
                \tproxy_temp_path %1$s/proxy;
                \tfastcgi_temp_path %1$s/fastcgi;
                \tuwsgi_temp_path %1$s/uwsgi;
                \tscgi_temp_path %1$s/scgi;

                \tserver {
                \t\tlisten 127.0.0.1:%2$d;
                \t\tlocation / {
                \t\t\tproxy_pass http://127.0.0.1:%3$d;
                \t\t}
                \t}
                }
                """.formatted(dir, port, upstreamPort);
        Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        Process process = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", confFile.toString(),
                "-e", dir.resolve("error.log").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        NginxProxy proxy = new NginxProxy(process, dir, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("nginx exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("stdout.log")) + read(dir.resolve("error.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return proxy;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        proxy.close();
        throw new AssertionError("nginx did not listen on " + port + " within 15 s");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    int port() {
        return port;
    }

    String version() throws Exception {
        Process v = new ProcessBuilder(binary().toString(), "-v").redirectErrorStream(true).start();
        String out = new String(v.getInputStream().readAllBytes()).trim();
        v.waitFor(5, TimeUnit.SECONDS);
        return out;
    }

    String errorLog() {
        return read(dir.resolve("error.log"));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the master stops its workers
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException ignored) {
            // shutting down already
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
