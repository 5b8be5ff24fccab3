package io.tollgate.testkit;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the whole fixture set from cold and reports how long each part took (printed, not asserted:
 * the machines are shared and timing assertions would be flaky). Each part must really answer.
 */
class FixtureStartupIT {

    @Test
    void wholeFixtureSetStartsAndAnswers() throws Exception {
        long t0 = System.nanoTime();
        try (KafkaCluster kafka = KafkaCluster.create(1)) {
            kafka.start();
            long kafkaMs = (System.nanoTime() - t0) / 1_000_000;
            long t1 = System.nanoTime();
            try (RedisServer redis = RedisServer.create().start()) {
                long redisMs = (System.nanoTime() - t1) / 1_000_000;
                long t2 = System.nanoTime();
                try (LdapDirectory ldap = LdapDirectory.demo()) {
                    long ldapMs = (System.nanoTime() - t2) / 1_000_000;

                    try (Admin admin = kafka.admin(); var jedis = redis.jedis(); var ldapConnection = ldap.connect()) {
                        assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).hasSize(1);
                        assertThat(jedis.ping()).isEqualTo("PONG");
                        assertThat(ldapConnection.getEntry("uid=alice," + LdapDirectory.USERS_DN)).isNotNull();
                    }
                    System.out.printf("fixture start-up: kafka=%d ms redis=%d ms ldap=%d ms total=%d ms%n",
                            kafkaMs, redisMs, ldapMs, (System.nanoTime() - t0) / 1_000_000);
                }
            }
        }
    }
}
