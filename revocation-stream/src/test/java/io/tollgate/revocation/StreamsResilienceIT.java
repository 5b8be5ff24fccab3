package io.tollgate.revocation;

import io.tollgate.revocation.kafka.StreamsManager;
import io.tollgate.revocation.kafka.StreamsSettings;
import io.tollgate.shared.events.ApiCall;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.redis.RedisKeys.Window;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.RedisExtension;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

import io.prometheus.metrics.core.metrics.Histogram;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static io.tollgate.revocation.RevocationStreamIT.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The topology itself (no HTTP) against real Kafka and Redis: restart mid-stream, Redis outage. */
class StreamsResilienceIT {
    @RegisterExtension
    @Order(1)
    static final KafkaExtension KAFKA = KafkaExtension.shared();
    @RegisterExtension
    @Order(2)
    static final RedisExtension REDIS = new RedisExtension();

    private static final URI SOURCE = Event.source("gateway", "it");
    private final String applicationId = "rs-resilience-" + UUID.randomUUID();
    private JedisPool pool;
    private StreamsManager running;

    private StreamsManager start() {
        // a fresh state directory each time: the restarted instance restores its counts from the changelog
        RevocationStreamConfiguration config = TestProjection.config(KAFKA, applicationId);
        config.redisRetryBudget = io.dropwizard.util.Duration.seconds(20);
        pool = pool == null ? REDIS.pool() : pool;
        StreamsManager manager = TestProjection.manager(config, pool,
                Histogram.builder().name("test_delay_seconds").classicOnly().build(),
                        StreamsSettings.properties(config));
        manager.start();
        running = manager;
        return manager;
    }

    @AfterEach
    void stop() {
        if (running != null) {
            running.stop();
        }
    }

    private static String get(String key) {
        try (Jedis jedis = REDIS.jedis()) {
            return jedis.get(key);
        }
    }

    @Test
    void countsAreExactAfterARestartMidStream() throws Exception {
        KAFKA.createTopics(Topics.ALL);
        Instant t = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        String user = "u-" + UUID.randomUUID().toString().substring(0, 8);
        String minuteKey = RedisKeys.usage("demo-mobile", user, Window.MINUTE, t.getEpochSecond());
        String dayKey = RedisKeys.usage("demo-mobile", user, Window.DAY, Window.DAY.start(t.getEpochSecond()));
        // per (app, API) too, through the repartition topic: an API name of this run only
        String api = "api-" + user;
        String apiMinuteKey = RedisKeys.apiUsage("demo-mobile", api, Window.MINUTE, t.getEpochSecond());
        try (Producer<String, Event<?>> producer = KAFKA.producer(Topics.CALLS)) {
            for (int i = 0; i < 2_000; i++) {
                ApiCall call = new ApiCall("demo-mobile", user, api, "/mobile/", "GET", 200, 800,
                        ApiCall.Outcome.PROXIED, t.plusMillis(i));
                producer.send(new ProducerRecord<>(Topics.CALLS.name(), call.key(), Event.of(SOURCE, call)));
            }
            producer.flush();
        }
        StreamsManager first = start();
        await(() -> get(minuteKey) != null, Duration.ofSeconds(60));
        first.stop();
        String atStop = get(minuteKey);
        running = null;

        start();
        await(() -> "2000".equals(get(minuteKey)) && "2000".equals(get(dayKey)) && "2000".equals(get(apiMinuteKey)),
                Duration.ofSeconds(60));
        Thread.sleep(1_000);
        assertThat(get(minuteKey)).isEqualTo("2000");
        assertThat(get(dayKey)).isEqualTo("2000");
        assertThat(get(apiMinuteKey)).isEqualTo("2000");
        System.out.println("event=test.restart countAtStop=" + atStop);
    }

    @Test
    void aRedisOutagePausesTheProjectionWhichCatchesUpAfterwards() throws Exception {
        KAFKA.createTopics(Topics.ALL);
        StreamsManager manager = start();
        await(() -> manager.streams().state() == KafkaStreams.State.RUNNING, Duration.ofSeconds(60));
        String user = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        REDIS.server().kill();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Revocation revocation = new Revocation(Revocation.Kind.USER, user, null, null, null, now,
                now.plus(Duration.ofDays(1)), "ops", "outage test");
        try (Producer<String, Event<?>> producer = KAFKA.producer(Topics.REVOCATIONS)) {
            producer.send(new ProducerRecord<>(Topics.REVOCATIONS.name(), revocation.key(),
                    Event.of(SOURCE, revocation)));
            producer.flush();
        }
        Thread.sleep(3_000); // Redis stays down while the record is pending
        assertThat(manager.streams().state().isRunningOrRebalancing()).isTrue();
        REDIS.server().start();
        await(() -> get(RedisKeys.userNotBefore(user)) != null, Duration.ofSeconds(30));
        assertThat(get(RedisKeys.userNotBefore(user))).isEqualTo(Long.toString(now.getEpochSecond()));
    }
}
