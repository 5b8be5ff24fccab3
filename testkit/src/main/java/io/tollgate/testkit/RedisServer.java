package io.tollgate.testkit;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real {@code redis-server} (the binary from the OS package) with no persistence. It can be flushed, killed
 * (SIGKILL) and restarted empty on the same port. Tests take one on a free loopback port in a temporary directory
 * ({@link #create()}, deleted on {@link #close()}); the local stack runs one on its configured address and directory
 * ({@link #at}, kept, stopped with SIGTERM by {@link #stop()}).
 */
public final class RedisServer implements AutoCloseable {
    private final String host;
    private final int port;
    private final Path dir;
    private final boolean temporary;
    private final ChildProcess process;

    private RedisServer(String host, int port, Path dir, Path log, boolean temporary) {
        this.host = host;
        this.port = port;
        this.dir = dir;
        this.temporary = temporary;
        String binary = locateBinary();
        this.process = new ChildProcess("redis-" + port, List.of(binary,
                "--port", Integer.toString(port), "--bind", host, "--save", "", "--appendonly", "no",
                "--dir", dir.toString(), "--daemonize", "no", "--protected-mode", "yes",
                "--notify-keyspace-events", ""), log);
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
        process.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited; see " + process.log());
            }
            if (answers(host, port)) {
                return this;
            }
            sleep(25);
        }
        throw new IllegalStateException("redis-server did not answer within 20 s; see " + process.log());
    }

    /** SIGKILL: every key is gone, clients see connection errors until {@link #start()}. */
    public void kill() {
        process.kill();
    }

    public boolean isRunning() {
        return process.isAlive();
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
        return process.log();
    }

    /** SIGTERM: the server exits cleanly; its directory is kept. */
    public void stop() {
        process.close();
    }

    public Jedis jedis() {
        return new Jedis(new HostAndPort(host(), port), DefaultJedisClientConfig.builder().autoNegotiateProtocol(false).build());
    }

    public JedisPool pool() {
        return new JedisPool(new HostAndPort(host(), port), DefaultJedisClientConfig.builder().autoNegotiateProtocol(false).build());
    }

    @Override
    public void close() {
        process.kill();
        process.close();
        if (temporary) {
            KafkaCluster.deleteRecursively(dir);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
