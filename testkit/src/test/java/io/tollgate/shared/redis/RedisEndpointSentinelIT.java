package io.tollgate.shared.redis;

import io.tollgate.testkit.RedisSentinelGroup;
import io.tollgate.testkit.RedisServer;
import io.tollgate.testkit.SilentListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sentinel discovery against real Sentinels when the first one configured never answers (its host cut off): the
 * first lookup waits it out once and the Sentinel that answered goes to the head of the list, so later lookups, and
 * those after a failover, name the primary without asking the silent one again.
 */
class RedisEndpointSentinelIT {
    private static RedisSentinelGroup group;
    private static SilentListener silent;

    @BeforeAll
    static void start() {
        group = RedisSentinelGroup.start(null);
        silent = SilentListener.start();
    }

    @AfterAll
    static void stop() {
        if (silent != null) {
            silent.close();
        }
        if (group != null) {
            group.close();
        }
    }

    @Test
    void aSilentFirstSentinelIsAskedOnceAcrossLookupsAndFailovers() {
        List<HostAndPort> sentinels = new ArrayList<>();
        sentinels.add(new HostAndPort(silent.host(), silent.port()));
        group.sentinelNodes().forEach(node -> sentinels.add(HostAndPort.from(node)));
        RedisEndpoint endpoint = RedisEndpoint.sentinel(RedisSentinelGroup.MASTER_NAME, sentinels)
                .timeout(Duration.ofMillis(500)).build();

        assertThat(endpoint.primary().getPort()).isEqualTo(group.primary().port());
        assertThat(silent.connections()).as("the first lookup asks the silent Sentinel first").isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            assertThat(endpoint.primary().getPort()).isEqualTo(group.primary().port());
        }

        RedisServer promoted = group.failover();
        assertThat(endpoint.primary().getPort()).isEqualTo(promoted.port());
        assertThat(silent.connections()).as("lookups after the first one start with a Sentinel that answers")
                .isEqualTo(1);
        assertThat(endpoint.sentinels()).as("the configuration is unchanged").isEqualTo(sentinels);
    }
}
