package io.tollgate.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Redis fixture is a real redis-server on its own port: Lua, flush, kill and restart. */
class RedisFixtureIT {

    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    @Test
    void runsOnItsOwnPortNotTheMachines() {
        assertThat(REDIS.port()).isNotEqualTo(6379);
        try (Jedis jedis = REDIS.jedis()) {
            assertThat(jedis.info("server")).contains("tcp_port:" + REDIS.port());
        }
    }

    @Test
    void evaluatesLuaAtomically() {
        String compareAndSet = """
                if redis.call('GET', KEYS[1]) == ARGV[1] then
                  redis.call('SET', KEYS[1], ARGV[2]); return 1
                end
                return 0""";
        try (Jedis jedis = REDIS.jedis()) {
            jedis.set("tg:test:cas", "g0");
            assertThat(jedis.eval(compareAndSet, List.of("tg:test:cas"), List.of("g0", "g1"))).isEqualTo(1L);
            assertThat(jedis.eval(compareAndSet, List.of("tg:test:cas"), List.of("g0", "g2"))).isEqualTo(0L);
            assertThat(jedis.get("tg:test:cas")).isEqualTo("g1");
        }
    }

    @Test
    void killLosesEverythingAndRestartComesBackEmpty() {
        try (Jedis jedis = REDIS.jedis()) {
            jedis.set("tg:test:k", "v");
        }
        REDIS.server().kill();
        assertThat(REDIS.server().isRunning()).isFalse();
        assertThatThrownBy(() -> {
            try (Jedis jedis = REDIS.jedis()) {
                jedis.ping();
            }
        }).isInstanceOf(JedisConnectionException.class);

        REDIS.server().start();
        try (Jedis jedis = REDIS.jedis()) {
            assertThat(jedis.get("tg:test:k")).isNull();
            jedis.set("tg:test:k", "again");
            REDIS.flushAll();
            assertThat(jedis.dbSize()).isZero();
        }
    }
}
