package io.tollgate.revocation;

import io.prometheus.metrics.core.metrics.Histogram;
import io.tollgate.revocation.kafka.StreamsManager;
import io.tollgate.revocation.kafka.StreamsSettings;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.RedisExtension;
import io.tollgate.shared.topics.Topic;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.tollgate.revocation.RevocationStreamIT.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two metrics of the projection on a real broker and a real Redis: the consumer lag
 * ({@code streams.consumer.lag}) shows a backlog of auth events that a paused Streams instance holds back and returns
 * to 0 once it is processed, and every revocation projected after that moves the propagation timer
 * ({@code tollgate_revocation_propagation_seconds}) by exactly one,
         with a delay between 0 and the time the test waited for it.
 * Offsets committed by the application's group (Streams commits only what it has processed) tell when the topology
 * has caught up, so no count depends on timing.
 */
class ProjectionMetricsIT {
    @RegisterExtension
    @Order(1)
    static final KafkaExtension KAFKA = KafkaExtension.shared();
    @RegisterExtension
    @Order(2)
    static final RedisExtension REDIS = new RedisExtension();

    private static final URI SOURCE = Event.source("test", "metrics-it");
    private static final List<Topic<String, Event<?>>> INPUTS = List.of(Topics.REVOCATIONS, Topics.POLICY_DECISIONS,
            Topics.AUTH_EVENTS, Topics.CALLS);

    private final String applicationId = "rs-metrics-" + UUID.randomUUID();
    private final Histogram delays = Histogram.builder().name("test_delay_seconds").classicOnly().build();
    private JedisPool pool;
    private StreamsManager manager;

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.stop();
        }
        if (pool != null) {
            pool.close();
        }
    }

    private StreamsManager start() {
        RevocationStreamConfiguration config = TestProjection.config(KAFKA, applicationId);
        pool = REDIS.pool();
        Properties props = StreamsSettings.properties(config);
        // Small fetches and a one-record input buffer: a paused instance fetches a record or two per partition and
        // then pauses the partition in its consumer, so the rest of a backlog stays behind its position, as lag.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), "1024");
        props.put(StreamsConfig.BUFFERED_RECORDS_PER_PARTITION_CONFIG, "1");
        manager = TestProjection.manager(config, pool, delays, props);
        manager.start();
        manager.streams().pause();
        return manager;
    }

    @Test
    void aHeldBackBacklogIsLagAndEveryProjectedRevocationIsTimedOnce() throws Exception {
        KAFKA.createTopics(Topics.ALL);
        String run = UUID.randomUUID().toString().substring(0, 8);
        // The backlog is on tollgate.auth-events: the projection's tasks are stateless and fetch while paused (the
        // usage tasks have stores, and Streams does not restore the tasks of a paused topology, so they never fetch).
        Instant now = Instant.now();
        try (Producer<String, Event<?>> producer = KAFKA.producer(Topics.AUTH_EVENTS)) {
            for (int i = 0; i < 240; i++) {
                String user = "lag-" + run + "-" + (i % 24);
                LoginSucceeded login = new LoginSucceeded(user, "demo-mobile", "demo-mobile-app", "sub", "basic",
                        "fam-" + run + "-" + i, 0, String.format("%043d", i), "jti-" + run + "-" + i, "read",
                        now.plusSeconds(300), now.plus(Duration.ofDays(1)), "127.0.0.1");
                // one record per batch, so the small fetches take one or two records at a time
                producer.send(new ProducerRecord<>(Topics.AUTH_EVENTS.name(), user, Event.of(SOURCE, login))).get();
            }
        }

        StreamsManager streams = start();
        await(() -> streams.consumerLag() > 0, Duration.ofSeconds(60));
        System.out.println("event=test.consumer_lag paused=" + streams.consumerLag());
        assertThat(StreamsManager.partitionLags(streams.streams().metrics())).isNotEmpty();
        assertThat(delays.getCount()).as("nothing is processed while paused").isZero();

        streams.streams().resume();
        try (Admin admin = KAFKA.admin()) {
            Map<TopicPartition, Long> backlog = endOffsets(admin, INPUTS);
            await(() -> streams.consumerLag() == 0 && caughtUp(admin, backlog), Duration.ofSeconds(120));
            // whatever revocations the topic already held (other tests') are counted by now
            long before = delays.getCount();
            double sumBefore = delays.getSum();

            List<String> users = new ArrayList<>();
            long sent = System.nanoTime();
            try (Producer<String, Event<?>> producer = KAFKA.producer(Topics.REVOCATIONS)) {
                for (int i = 0; i < 5; i++) {
                    String user = "timed-" + run + "-" + i;
                    users.add(user);
                    Instant at = Instant.now();
                    Revocation revocation = new Revocation(Revocation.Kind.USER, user, null, null, null,
                            at.truncatedTo(ChronoUnit.SECONDS), at.plus(Duration.ofHours(1)), "ops", "metrics test");
                    producer.send(new ProducerRecord<>(Topics.REVOCATIONS.name(), revocation.key(),
                            Event.of(SOURCE, revocation)));
                }
                producer.flush();
            }
            Map<TopicPartition, Long> end = endOffsets(admin, List.of(Topics.REVOCATIONS));
            await(() -> caughtUp(admin, end), Duration.ofSeconds(60));
            long waitedNanos = System.nanoTime() - sent;

            try (Jedis jedis = REDIS.jedis()) {
                for (String user : users) {
                    assertThat(jedis.get(RedisKeys.userNotBefore(user))).as(user).isNotNull();
                }
            }
            assertThat(delays.getCount()).as("one timing per projected revocation").isEqualTo(before + 5);
            // every delay is at least 0 and at most the time the test waited (plus the producer's clock read)
            assertThat(delays.getSum() - sumBefore)
                    .as("five delays within the time the test waited (%d ms)", waitedNanos / 1_000_000)
                    .isBetween(0.0, 5 * (waitedNanos / 1e9 + 0.001));
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, List<Topic<String, Event<?>>> topics)
            throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (Topic<String, Event<?>> topic : topics) {
            for (int p = 0; p < topic.partitions(); p++) {
                latest.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
            }
        }
        return admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** True once the application's group has committed, on every partition, at least {@code end}. */
    private boolean caughtUp(Admin admin, Map<TopicPartition, Long> end) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get();
            Function<TopicPartition, Long> at = tp -> committed.get(tp) == null ? 0L : committed.get(tp).offset();
            return end.entrySet().stream().allMatch(e -> at.apply(e.getKey()) >= e.getValue());
        } catch (Exception e) {
            return false;
        }
    }
}
