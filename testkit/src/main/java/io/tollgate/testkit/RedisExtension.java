package io.tollgate.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

/**
 * JUnit 5 extension giving a test class its own real Redis server on a free port (never the machine's
 * 6379). {@code TOLLGATE_TEST_REDIS=host:port} points at an existing server instead (kill and restart
 * are then unsupported); {@code TOLLGATE_FIXTURES=testcontainers} runs {@code redis:7} in Docker.
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback {
    private RedisServer server;
    private HostAndPort address;
    private AutoCloseable container;

    @Override
    public void beforeAll(ExtensionContext context) {
        String existing = System.getenv("TOLLGATE_TEST_REDIS");
        if (existing != null && !existing.isBlank()) {
            address = HostAndPort.from(existing);
            return;
        }
        if ("testcontainers".equalsIgnoreCase(System.getenv("TOLLGATE_FIXTURES"))) {
            var redis = new org.testcontainers.containers.GenericContainer<>("redis:7").withExposedPorts(6379);
            redis.start();
            container = redis;
            address = new HostAndPort(redis.getHost(), redis.getMappedPort(6379));
            return;
        }
        server = RedisServer.create().start();
        address = new HostAndPort(server.host(), server.port());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
        }
        if (container != null) {
            container.close();
        }
    }

    public String host() {
        return address.getHost();
    }

    public int port() {
        return address.getPort();
    }

    public Jedis jedis() {
        return new Jedis(address, DefaultJedisClientConfig.builder().autoNegotiateProtocol(false).build());
    }

    public JedisPool pool() {
        return new JedisPool(address, DefaultJedisClientConfig.builder().autoNegotiateProtocol(false).build());
    }

    public void flushAll() {
        try (Jedis jedis = jedis()) {
            jedis.flushAll();
        }
    }

    /** The local server, for kill/restart; fails for an external one. */
    public RedisServer server() {
        if (server == null) {
            throw new UnsupportedOperationException("this Redis was not started by the fixture");
        }
        return server;
    }
}
