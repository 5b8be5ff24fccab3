package io.tollgate.ops.stack;

import io.tollgate.testkit.FreePorts;
import io.tollgate.testkit.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The stack reuses a Redis that answers on the configured address and never stops one it did not start. */
class RedisPartIT {
    @TempDir
    Path dir;

    private StackConfig config(int port) {
        StackConfig config = new StackConfig();
        config.dataDir = dir;
        config.redisPort = port;
        return config;
    }

    @Test
    void reusesARunningRedisAndLeavesItRunning() throws Exception {
        try (RedisServer existing = RedisServer.create().start()) {
            RedisPart part = new RedisPart(config(existing.port()));
            part.start();
            assertThat(part.reused()).isTrue();
            assertThat(part.endpoint()).contains("reused");
            part.stop();
            try (var jedis = existing.jedis()) {
                assertThat(jedis.ping()).isEqualTo("PONG");
            }
        }
    }

    @Test
    void startsRedisWhenNoneAnswersAndStopsIt() throws Exception {
        int port = FreePorts.find();
        RedisPart part = new RedisPart(config(port));
        part.start();
        assertThat(part.reused()).isFalse();
        assertThat(part.healthy()).isTrue();
        assertThat(dir.resolve("logs").resolve("redis.log")).exists();
        part.stop();
        assertThat(FreePorts.isListening(port)).isFalse();
        assertThat(part.healthy()).isFalse();
    }
}
