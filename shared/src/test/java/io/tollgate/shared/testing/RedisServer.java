package io.tollgate.shared.testing;

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
 * A real {@code redis-server} (the binary from the OS package) on a free loopback port, with no
 * persistence. It can be flushed, killed (SIGKILL) and restarted empty on the same port.
 */
public final class RedisServer implements AutoCloseable {
    private final int port;
    private final Path dir;
    private final ChildProcess process;

    private RedisServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
        String binary = locateBinary();
        this.process = new ChildProcess("redis-" + port, List.of(binary,
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", dir.toString(), "--daemonize", "no", "--protected-mode", "yes",
                "--notify-keyspace-events", ""), dir.resolve("redis.log"));
    }

    /** A server on a free port in a new temporary directory (not yet started). */
    public static RedisServer create() {
        return onPort(FreePorts.find());
    }

    public static RedisServer onPort(int port) {
        try {
            return new RedisServer(port, Files.createTempDirectory("tollgate-redis-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
            try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", port),
                    DefaultJedisClientConfig.builder().autoNegotiateProtocol(false).connectionTimeoutMillis(200).build())) {
                if ("PONG".equals(jedis.ping())) {
                    return this;
                }
            } catch (RuntimeException e) {
                // not up yet
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
        return "127.0.0.1";
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
        KafkaCluster.deleteRecursively(dir);
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
