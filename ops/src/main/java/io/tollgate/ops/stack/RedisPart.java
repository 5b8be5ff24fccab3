package io.tollgate.ops.stack;

import io.tollgate.shared.testing.ChildProcess;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Reuses a Redis that answers PING on the configured address, else starts {@code redis-server} there. */
final class RedisPart implements Part {
    private final StackConfig config;
    private ChildProcess process;
    private boolean reused;

    RedisPart(StackConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public void start() throws Exception {
        if (healthy()) {
            reused = true;
            return;
        }
        Path dir = config.dataDir().resolve("redis");
        Files.createDirectories(dir);
        process = new ChildProcess("redis", List.of(locateBinary(), "--port", Integer.toString(config.redisPort),
                "--bind", config.redisHost, "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--daemonize", "no"), config.logs().resolve("redis.log")).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited; see " + process.log());
            }
            if (healthy()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("redis-server did not answer PING within 20 s; see " + process.log());
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
        throw new IllegalStateException("no Redis answers on " + "the configured address and redis-server is not "
                + "on PATH: install the Debian package 'redis-server' or set TOLLGATE_REDIS_SERVER");
    }

    @Override
    public boolean healthy() {
        try (Jedis jedis = new Jedis(new HostAndPort(config.redisHost, config.redisPort),
                DefaultJedisClientConfig.builder().connectionTimeoutMillis(300).socketTimeoutMillis(1000).build())) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public boolean exited() {
        return process != null && !process.isAlive();
    }

    boolean reused() {
        return reused;
    }

    @Override
    public String endpoint() {
        return "redis://" + config.redisHost + ":" + config.redisPort + (reused ? " (existing server, reused)" : "");
    }

    @Override
    public String log() {
        return reused ? "(not ours)" : config.logs().resolve("redis.log").toString();
    }

    @Override
    public void stop() {
        if (process != null) {
            process.close(); // SIGTERM: redis-server exits cleanly
            process = null;
        }
    }
}
