package io.tollgate.revocation.kafka;

import io.tollgate.revocation.core.ProjectionApplier;
import io.tollgate.revocation.redis.RedisSink;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventSerde;
import io.tollgate.shared.events.MalformedEventException;
import io.tollgate.shared.kafka.KafkaFactory;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the Redis projection from Kafka: a one-shot consumer (no group) reads revocations, decisions
 * and auth events from offset 0 up to the end offsets taken when it starts, applying each through the same
 * {@link ProjectionApplier} as the live topology. Revocations and decisions are read completely first, auth
 * events (the refresh families) after them: token-api rotates refresh tokens against Redis while the rebuild
 * runs, and a family restored before its revocation, its user's not-before or its user's DENY could be
 * refreshed in that gap, minting tokens of a revoked user that outlive the rebuild (ProjectionRebuilderIT, ops
 * FaultsIT).
 * State goes {@code rebuilding} → {@code ready}, then
 * {@code *} is published so every gateway drops its cache. Progress (percent of records) is logged, kept
 * in the hash's {@code progress} field and exposed as a gauge. The live topology keeps running meanwhile:
 * both write idempotently, so their interleaving cannot lose or regress a fact.
 *
 * <p>A rebuild runs under the id its caller claimed ({@link RedisSink#claimRebuild}); every progress write is
 * also a heartbeat (at least every {@link #HEARTBEAT}) and succeeds only while {@code tg:projection} still names
 * that id. When it does not (Redis was flushed, or lost and restarted empty, during the rebuild; or another
 * instance took a stale rebuild over) the rebuild stops without marking anything {@code ready}: facts it wrote
 * before the loss are gone, so calling the projection ready would make every reader trust an incomplete Redis.
 */
public final class ProjectionRebuilder {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectionRebuilder.class);
    /** How often a running rebuild refreshes its claim; a claim older than {@link #STALE_AFTER} is taken over. */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    public static final Duration STALE_AFTER = Duration.ofSeconds(15);
    /** Read one pass after the other: every fact that kills a family before any family. */
    private static final List<List<String>> PASSES = List.of(
            List.of(Topics.REVOCATIONS.name(), Topics.POLICY_DECISIONS.name()),
            List.of(Topics.AUTH_EVENTS.name()));

    private final KafkaFactory kafka;
    private final RedisSink sink;
    private final ProjectionApplier applier;
    private volatile int progress = 100;
    private volatile long rebuilds;

    public ProjectionRebuilder(KafkaFactory kafka, RedisSink sink, ProjectionApplier applier) {
        this.kafka = kafka;
        this.sink = sink;
        this.applier = applier;
    }

    /**
     * Runs one rebuild, claimed as {@code rebuildId}, to completion; returns the number of records read, or -1 when
     * the claim was lost on the way (nothing marked ready). One rebuild at a time per instance.
     */
    public synchronized long rebuild(String rebuildId) {
        long started = System.nanoTime();
        progress = 0;
        LOG.info("event=projection.rebuild_started rebuild={}", rebuildId);
        long read = 0;
        var deserializer = EventSerde.INSTANCE.deserializer();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                kafka.consumerProperties("revocation-stream-rebuild", null), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<List<TopicPartition>> passes = new ArrayList<>();
            List<TopicPartition> partitions = new ArrayList<>();
            for (List<String> topics : PASSES) {
                List<TopicPartition> pass = new ArrayList<>();
                for (String topic : topics) {
                    consumer.partitionsFor(topic, Duration.ofSeconds(30))
                            .forEach(p -> pass.add(new TopicPartition(p.topic(), p.partition())));
                }
                passes.add(pass);
                partitions.addAll(pass);
            }
            // One snapshot of the end offsets for every pass: what is newer is the live topology's.
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long total = 0;
            for (TopicPartition tp : partitions) {
                total += end.get(tp) - begin.get(tp);
            }
            int lastReported = 0;
            long lastBeat = System.nanoTime();
            for (List<TopicPartition> pass : passes) {
                List<TopicPartition> remaining = new ArrayList<>(pass);
                remaining.removeIf(tp -> end.get(tp) <= begin.get(tp));
                consumer.assign(remaining);
                consumer.seekToBeginning(remaining);
                while (!remaining.isEmpty()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                        if (record.offset() >= end.get(tp)) {
                            continue;
                        }
                        read++;
                        apply(record, deserializer);
                    }
                    remaining.removeIf(tp -> consumer.position(tp) >= end.get(tp));
                    consumer.assign(remaining);
                    progress = total == 0 ? 100 : (int) Math.min(99, read * 100 / total);
                    boolean report = progress >= lastReported + 10;
                    if (report || System.nanoTime() - lastBeat >= HEARTBEAT.toNanos()) {
                        lastBeat = System.nanoTime();
                        if (!sink.rebuildProgress(rebuildId, RedisKeys.PROJECTION_REBUILDING,
                                Integer.toString(progress))) {
                            return lost(rebuildId, read);
                        }
                        if (report) {
                            lastReported = progress;
                            LOG.info("event=projection.rebuild_progress percent={} records={} total={}", progress,
                                    read, total);
                        }
                    }
                }
            }
        }
        if (!sink.rebuildProgress(rebuildId, RedisKeys.PROJECTION_READY, "100")) {
            return lost(rebuildId, read);
        }
        progress = 100;
        rebuilds++;
        sink.publish("*");
        LOG.info("event=projection.rebuild_done rebuild={} records={} millis={}", rebuildId, read,
                (System.nanoTime() - started) / 1_000_000);
        return read;
    }

    private void apply(ConsumerRecord<String, byte[]> record, Deserializer<Event<?>> deserializer) {
        try {
            Event<?> event = record.value() == null ? null : deserializer.deserialize(record.topic(), record.value());
            applier.apply(event);
        } catch (MalformedEventException e) {
            LOG.warn("event=projection.malformed_record topic={} partition={} offset={}", record.topic(),
                    record.partition(), record.offset());
        }
    }

    private long lost(String rebuildId, long read) {
        LOG.warn("event=projection.rebuild_abandoned rebuild={} records={} reason=\"tg:projection no longer names "
                + "this rebuild (Redis flushed or restarted empty, or another instance took over)\"", rebuildId, read);
        return -1;
    }

    /** Percent done of the current (or last) rebuild. */
    public int progress() {
        return progress;
    }

    public long rebuilds() {
        return rebuilds;
    }
}
