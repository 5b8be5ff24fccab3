package io.tollgate.shared.redis;

import io.tollgate.testkit.RedisSentinelGroup;
import io.tollgate.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.util.Pool;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pool {@link RedisFactory} builds, standalone and through Sentinels, against real {@code redis-server}s: a
 * connection that breaks in use takes every idle one with it and the next call connects afresh; a connection
 * returned whole stays idle, and an idle one failing the evictor's test is the only one discarded.
 */
class RedisFactoryPoolIT {
    private static RedisServer standalone;
    private static RedisSentinelGroup sentinels;

    @BeforeAll
    static void start() {
        standalone = RedisServer.create().start();
        sentinels = RedisSentinelGroup.start(null);
    }

    @AfterAll
    static void stop() {
        if (standalone != null) {
            standalone.close();
        }
        if (sentinels != null) {
            sentinels.close();
        }
    }

    private static Pool<Jedis> pool(String topology) {
        RedisFactory factory = new RedisFactory();
        if (topology.equals("sentinel")) {
            factory.host = "";
            factory.sentinel.masterName = RedisSentinelGroup.MASTER_NAME;
            factory.sentinel.nodes = sentinels.sentinelNodes();
        } else {
            factory.port = standalone.port();
        }
        return factory.buildPool();
    }

    private static RedisServer server(String topology) {
        return topology.equals("sentinel") ? sentinels.primary() : standalone;
    }

    /** Cuts one client's connection on the server side, as a restart or a network cut would. */
    private static void cut(String topology, Jedis connection) {
        long id = connection.clientId();
        try (Jedis admin = server(topology).jedis()) {
            assertThat(admin.clientKill(ClientKillParams.clientKillParams().id(Long.toString(id)))).isEqualTo(1);
        }
    }

    /** The ids of the clients connected to the server now. */
    private static Set<Long> connected(String topology) {
        try (Jedis admin = server(topology).jedis()) {
            return admin.clientList().lines().map(line -> Long.parseLong(line.substring(3, line.indexOf(' '))))
                    .collect(Collectors.toSet());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "sentinel"})
    void aConnectionBrokenInUseDiscardsEveryIdleOne(String topology) throws Exception {
        try (Pool<Jedis> pool = pool(topology)) {
            Jedis broken = pool.getResource();
            List<Jedis> idle = List.of(pool.getResource(), pool.getResource());
            Set<Long> idleIds = idle.stream().map(Jedis::clientId).collect(Collectors.toSet());
            idle.forEach(Jedis::close);
            assertThat(pool.getNumIdle()).isEqualTo(2);

            cut(topology, broken);
            assertThatThrownBy(broken::ping).isInstanceOf(JedisConnectionException.class);
            broken.close();

            long deadline = System.nanoTime() + 5_000_000_000L;
            while (connected(topology).stream().anyMatch(idleIds::contains) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(connected(topology)).as("the idle connections are closed").doesNotContainAnyElementsOf(idleIds);
            try (Jedis next = pool.getResource()) {
                assertThat(next.ping()).isEqualTo("PONG");
                assertThat(idleIds).doesNotContain(next.clientId());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "sentinel"})
    void aWholeConnectionStaysIdleAndTheEvictorDiscardsOnlyTheIdleOneThatFailsItsTest(String topology)
            throws Exception {
        try (Pool<Jedis> pool = pool(topology)) {
            Jedis dead = pool.getResource();
            Jedis alive = pool.getResource();
            cut(topology, dead);
            dead.close();
            alive.close();
            assertThat(pool.getNumIdle()).as("both returned without an error").isEqualTo(2);
            assertThat(pool.getDestroyedCount()).isZero();

            pool.evict();

            assertThat(pool.getNumIdle()).isEqualTo(1);
            assertThat(pool.getDestroyedCount()).isEqualTo(1);
            try (Jedis next = pool.getResource()) {
                assertThat(next.ping()).isEqualTo("PONG");
            }
        }
    }
}
