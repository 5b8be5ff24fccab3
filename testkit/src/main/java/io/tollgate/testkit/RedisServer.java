package io.tollgate.testkit;

import io.tollgate.shared.tls.CaBundle;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} (the binary from the OS package) with no persistence. It can be flushed, killed
 * (SIGKILL) and restarted empty on the same port. Tests take one on a free loopback port in a temporary directory
 * ({@link #create()}, deleted on {@link #close()}); the local stack runs one on its configured address and directory
 * ({@link #at}, kept, stopped with SIGTERM by {@link #stop()}).
 *
 * <p>Before {@link #start()} a test may give it TLS ({@link #tls}: the port then speaks TLS only, replication too),
 * a password for the default user ({@link #requirePass}), or make it a replica ({@link #replicaOf}).
 * {@link #sentinel} makes a Sentinel (the same binary with {@code --sentinel}) that monitors a primary with short
 * failure-detection times. The fixture's own connections ({@link #jedis()}, {@link #pool()}, the start-up probe) use
 * the same TLS and password.
 */
public final class RedisServer implements AutoCloseable {
    private final String host;
    private final int port;
    private final Path dir;
    private final Path log;
    private final boolean temporary;
    private ChildProcess process;
    private Tls tls;
    private String password;
    private RedisServer primary;
    private SentinelOf sentinelOf;

    /**
     * The files of a TLS server (its key and certificate chain in one PEM file, the CA it and its clients trust)
     * and a client context trusting that CA.
     */
    public record Tls(Path keyAndChain, Path caCertificate, SSLContext clientContext) {

        /** A server certificate from {@code authority} for {@code hostNames}, written into {@code dir}. */
        public static Tls issue(TestCertificates.Authority authority, Path dir, String... hostNames) {
            try {
                Files.createDirectories(dir);
                Path key = authority.issue(hostNames).writeKeyStorePem(Files.createTempFile(dir, "redis-", ".pem"));
                Path ca = authority.writePem(Files.createTempFile(dir, "redis-ca-", ".pem"));
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {CaBundle.trustManager(ca.toString())}, null);
                return new Tls(key, ca, context);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot build the test TLS client context", e);
            }
        }
    }

    private record SentinelOf(String masterName, RedisServer primary, int quorum) {
    }

    private RedisServer(String host, int port, Path dir, Path log, boolean temporary) {
        this.host = host;
        this.port = port;
        this.dir = dir;
        this.log = log;
        this.temporary = temporary;
    }

    /** A server on a free port in a new temporary directory (not yet started). */
    public static RedisServer create() {
        return onPort(FreePorts.find());
    }

    public static RedisServer onPort(int port) {
        try {
            Path dir = Files.createTempDirectory("tollgate-redis-");
            return new RedisServer("127.0.0.1", port, dir, dir.resolve("redis.log"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server on {@code host:port} working in {@code dir} and logging to {@code log}, both kept (not yet started). */
    public static RedisServer at(String host, int port, Path dir, Path log) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RedisServer(host, port, dir, log, false);
    }

    /**
     * A Sentinel on a free port (not yet started) that monitors {@code primary} as {@code masterName}: down after
     * 1 s without an answer, {@code quorum} Sentinels agreeing; the primary's TLS and password apply to it too.
     */
    public static RedisServer sentinel(String masterName, RedisServer primary, int quorum) {
        RedisServer sentinel = create();
        sentinel.sentinelOf = new SentinelOf(masterName, primary, quorum);
        sentinel.tls = primary.tls;
        return sentinel;
    }

    /** Speaks TLS only, with {@code tls}'s certificate (call before {@link #start()}). */
    public RedisServer tls(Tls tls) {
        this.tls = tls;
        return this;
    }

    /** The default user's password ({@code requirepass}), also the password it replicates with. */
    public RedisServer requirePass(String password) {
        this.password = password;
        return this;
    }

    /** Replicates {@code primary} ({@code --replicaof}). */
    public RedisServer replicaOf(RedisServer primary) {
        this.primary = primary;
        return this;
    }

    private List<String> command() {
        String binary = locateBinary();
        if (sentinelOf != null) {
            return List.of(binary, writeSentinelConfig().toString(), "--sentinel");
        }
        List<String> command = new ArrayList<>(List.of(binary,
                "--port", tls == null ? Integer.toString(port) : "0", "--bind", host, "--save", "",
                "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no", "--protected-mode", "yes",
                "--notify-keyspace-events", ""));
        if (tls != null) {
            command.addAll(List.of("--tls-port", Integer.toString(port),
                    "--tls-cert-file", tls.keyAndChain().toString(), "--tls-key-file", tls.keyAndChain().toString(),
                    "--tls-ca-cert-file", tls.caCertificate().toString(), "--tls-auth-clients", "no",
                    "--tls-replication", "yes"));
        }
        if (password != null) {
            command.addAll(List.of("--requirepass", password, "--masterauth", password));
        }
        if (primary != null) {
            command.addAll(List.of("--replicaof", primary.host(), Integer.toString(primary.port())));
        }
        return command;
    }

    /** Written before every start: a Sentinel rewrites its configuration file as it learns the topology. */
    private Path writeSentinelConfig() {
        RedisServer monitored = sentinelOf.primary();
        StringBuilder conf = new StringBuilder()
                .append("bind ").append(host).append('\n')
                .append("dir ").append(dir).append('\n')
                .append("protected-mode no\n");
        if (tls != null) {
            conf.append("port 0\n").append("tls-port ").append(port).append('\n')
                    .append("tls-cert-file ").append(tls.keyAndChain()).append('\n')
                    .append("tls-key-file ").append(tls.keyAndChain()).append('\n')
                    .append("tls-ca-cert-file ").append(tls.caCertificate()).append('\n')
                    .append("tls-auth-clients no\n").append("tls-replication yes\n");
        } else {
            conf.append("port ").append(port).append('\n');
        }
        if (password != null) {
            conf.append("requirepass ").append(password).append('\n');
        }
        String name = sentinelOf.masterName();
        conf.append("sentinel monitor ").append(name).append(' ').append(monitored.host()).append(' ')
                .append(monitored.port()).append(' ').append(sentinelOf.quorum()).append('\n')
                .append("sentinel down-after-milliseconds ").append(name).append(" 1000\n")
                .append("sentinel failover-timeout ").append(name).append(" 5000\n")
                .append("sentinel parallel-syncs ").append(name).append(" 1\n");
        if (monitored.password != null) {
            conf.append("sentinel auth-pass ").append(name).append(' ').append(monitored.password).append('\n');
        }
        try {
            return Files.writeString(dir.resolve("sentinel.conf"), conf.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * How the fixture itself connects: this server's TLS and password. It trusts the test CA but checks no host
     * name (Jedis would, given no parameters), so it can manage a server whose certificate names another host.
     */
    public JedisClientConfig clientConfig() {
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder().autoNegotiateProtocol(false)
                .connectionTimeoutMillis(1000).socketTimeoutMillis(2000);
        if (tls != null) {
            SSLParameters parameters = tls.clientContext().getDefaultSSLParameters();
            builder.ssl(true).sslSocketFactory(tls.clientContext().getSocketFactory()).sslParameters(parameters);
        }
        if (password != null) {
            builder.password(password);
        }
        return builder.build();
    }

    /** Adds the ACL user {@code user} with {@code password} and every permission on every key and channel. */
    public void aclSetUser(String user, String password) {
        try (Jedis jedis = jedis()) {
            jedis.aclSetUser(user, "reset", "on", ">" + password, "~*", "&*", "+@all");
        }
    }

    /** True when a Redis answers PING on {@code host:port}. */
    public static boolean answers(String host, int port) {
        try (Jedis jedis = new Jedis(new HostAndPort(host, port), DefaultJedisClientConfig.builder()
                .autoNegotiateProtocol(false).connectionTimeoutMillis(300).socketTimeoutMillis(1000).build())) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    static String locateBinary() {
        String configured = System.getenv("TOLLGATE_REDIS_SERVER");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/local/bin").split(":")) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("redis-server not found on PATH: install the Debian package 'redis-server' "
                + "(apt-get install redis-server) or set TOLLGATE_REDIS_SERVER to the binary");
    }

    public RedisServer start() {
        if (process == null) {
            process = new ChildProcess((sentinelOf != null ? "redis-sentinel-" : "redis-") + port, command(), log);
        } else if (sentinelOf != null) {
            writeSentinelConfig();
        }
        process.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited; see " + process.log());
            }
            if (answersPing()) {
                return this;
            }
            ChildProcess.pause(25);
        }
        throw new IllegalStateException("redis-server did not answer within 20 s; see " + process.log());
    }

    private boolean answersPing() {
        try (Jedis jedis = new Jedis(new HostAndPort(host, port), clientConfig())) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** SIGKILL: every key is gone, clients see connection errors until {@link #start()}. */
    public void kill() {
        if (process != null) {
            process.kill();
        }
    }

    /**
     * SIGSTOP: the server keeps its connections open and answers nothing, as a server whose host is cut off does;
     * {@link #resume()} lets it go on.
     */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("no running server to signal");
        }
        try {
            int status = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start()
                    .waitFor();
            if (status != 0) {
                throw new IllegalStateException("kill -" + name + " exited " + status);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public void flushAll() {
        try (Jedis jedis = jedis()) {
            jedis.flushAll();
        }
    }

    public int port() {
        return port;
    }

    public String host() {
        return host;
    }

    /** Where the server writes its log. */
    public Path log() {
        return log;
    }

    /** SIGTERM: the server exits cleanly; its directory is kept. */
    public void stop() {
        if (process != null) {
            process.close();
        }
    }

    public Jedis jedis() {
        return new Jedis(new HostAndPort(host(), port), clientConfig());
    }

    public JedisPool pool() {
        return new JedisPool(new HostAndPort(host(), port), clientConfig());
    }

    @Override
    public void close() {
        if (process != null) {
            process.kill();
            process.close();
        }
        if (temporary) {
            KafkaCluster.deleteRecursively(dir);
        }
    }
}
