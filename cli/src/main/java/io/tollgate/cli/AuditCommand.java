package io.tollgate.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventCodec;
import io.tollgate.shared.events.MalformedEventException;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads {@code tollgate.auth-events} and {@code tollgate.revocations} for security teams: logins, refreshes,
 * revocations and every operator action ({@code operator.action}, naming the operator). Read-only:
 * the consumer has no group, assigns the partitions itself and seeks by timestamp, so it needs no write
 * access to the cluster and leaves no trace in it.
 */
@Command(name = "audit", description = "Search or follow the audit topics (tollgate.auth-events, tollgate.revocations).")
final class AuditCommand extends TollgateCommand {
    private static final Set<String> NOT_DETAIL = Set.of("userId", "clientId", "ip", "refreshTokenHash");

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events as they arrive (Ctrl-C to stop); "
            + "from now on, or from --from.")
    boolean follow;

    @Option(names = "--from", description = "Start time, ISO-8601 (2026-11-29T03:00:00Z or 2026-11-29).")
    String from;

    @Option(names = "--to", description = "End time, ISO-8601.")
    String to;

    @Option(names = "--user", description = "Only this user id.")
    String user;

    @Option(names = "--client", description = "Only this client_id.")
    String client;

    @Option(names = "--type", description = "Only this event type (login.failed or tollgate.login.failed).")
    String type;

    @Option(names = "--ip", description = "Only this source IP.")
    String ip;

    @Option(names = "--operator", description = "Only what this operator did (operator.action events: approvals, "
            + "rejections, revocations, portal logins, admin tasks).")
    String operator;

    @Option(names = "--max", description = "Stop after this many matching events.")
    Integer max;

    record Row(String topic, int partition, long offset, Event<?> event, Map<String, Object> data) {
    }

    /** Matching events held back for ordering, per partition, before a partition is paused (tests lower it). */
    static volatile int BUFFER_PER_PARTITION = 2_000;
    /** Partitions paused so far in this JVM (tests: the bound was reached). */
    static final java.util.concurrent.atomic.AtomicInteger PAUSES = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public Integer call() {
        AuditFilter filter = new AuditFilter(parseTime(from, "--from"), parseTime(to, "--to"), user, client, type, ip,
                operator);
        try (KafkaConsumer<String, byte[]> consumer = KafkaAccess.reader(root.kafka(), root.kafkaClientProperties())) {
            return search(consumer, filter);
        } catch (org.apache.kafka.common.errors.AuthenticationException
                 | org.apache.kafka.common.errors.AuthorizationException e) {
            throw KafkaAccess.refused("the audit topics", e);
        }
    }

    private int search(KafkaConsumer<String, byte[]> consumer, AuditFilter filter) {
        List<TopicPartition> partitions = new ArrayList<>(KafkaAccess.partitions(consumer, Topics.AUTH_EVENTS.name()));
        partitions.addAll(KafkaAccess.partitions(consumer, Topics.REVOCATIONS.name()));
        consumer.assign(partitions);
        if (filter.from() == null && follow) {
            consumer.seekToEnd(partitions); // like tail -f: what happens from now on (--from replays)
        } else {
            seek(consumer, partitions, filter.from());
        }
        Map<TopicPartition, Long> end = follow ? null : consumer.endOffsets(partitions);
        Merge merge = new Merge(consumer, partitions, end);
        int shown = 0;
        boolean headerPrinted = false;
        while (true) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                Row row = decode(record);
                merge.polled(record, row != null && filter.matches(row.event(), row.data()) ? row : null);
            }
            for (Row row = merge.next(); row != null; row = merge.next()) {
                headerPrinted = print(row, headerPrinted);
                shown++;
                if (max != null && shown >= max) {
                    return 0;
                }
            }
            if (!follow && merge.finished()) {
                break;
            }
        }
        if (shown == 0 && !root.json) {
            root.out().println("no matching events");
        }
        root.out().flush();
        return 0;
    }

    /**
     * Prints the matching events of all partitions in time order without holding a whole search in memory: an
     * event is released once no partition still being read can produce an earlier one (each partition's last
     * record time is its watermark; a partition read to its end, or caught up while following, holds nothing
     * back). A partition that runs ahead of the others with {@link #BUFFER_PER_PARTITION} events held is paused
     * until they drain. Events whose own time is older than their place in the log (a producer's clock, an
     * imported event) are printed when they are read.
     */
    static final class Merge {
        private final KafkaConsumer<?, ?> consumer;
        private final Map<TopicPartition, Long> end;
        private final Map<TopicPartition, Instant> lastSeen = new HashMap<>();
        private final Map<TopicPartition, Integer> held = new HashMap<>();
        private final Set<TopicPartition> paused = new java.util.HashSet<>();
        private final java.util.PriorityQueue<Row> queue = new java.util.PriorityQueue<>(
                Comparator.comparing((Row r) -> r.event().time()).thenComparing(Row::topic)
                        .thenComparingInt(Row::partition).thenComparingLong(Row::offset));
        private final List<TopicPartition> partitions;

        Merge(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
            this.consumer = consumer;
            this.partitions = partitions;
            this.end = end;
        }

        void polled(ConsumerRecord<?, ?> record, Row matching) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            Instant time = matching != null ? matching.event().time() : Instant.ofEpochMilli(record.timestamp());
            lastSeen.merge(tp, time, (a, b) -> a.isAfter(b) ? a : b);
            if (matching != null) {
                queue.add(matching);
                held.merge(tp, 1, Integer::sum);
            }
        }

        /** Still to be read: below the end offset taken at the start, or (following) behind the log's end. */
        private boolean reading(TopicPartition tp) {
            if (end != null) {
                return consumer.position(tp) < end.get(tp);
            }
            java.util.OptionalLong lag = consumer.currentLag(tp);
            return lag.isEmpty() || lag.getAsLong() > 0;
        }

        /** The earliest time a partition still being read may yet produce; null when none is being read. */
        private Instant watermark() {
            Instant min = null;
            for (TopicPartition tp : partitions) {
                if (reading(tp)) {
                    Instant seen = lastSeen.getOrDefault(tp, Instant.MIN);
                    if (min == null || seen.isBefore(min)) {
                        min = seen;
                    }
                }
            }
            return min;
        }

        /** The next event that can be printed in order, or null; pauses and resumes partitions as it goes. */
        Row next() {
            Instant watermark = watermark();
            Row head = queue.peek();
            if (head != null && (watermark == null || !head.event().time().isAfter(watermark))) {
                queue.poll();
                TopicPartition tp = new TopicPartition(head.topic(), head.partition());
                if (held.merge(tp, -1, Integer::sum) <= BUFFER_PER_PARTITION / 2 && paused.remove(tp)) {
                    consumer.resume(List.of(tp));
                }
                return head;
            }
            for (TopicPartition tp : partitions) {
                if (held.getOrDefault(tp, 0) >= BUFFER_PER_PARTITION && !paused.contains(tp) && watermark != null
                        && lastSeen.getOrDefault(tp, Instant.MIN).isAfter(watermark)) {
                    consumer.pause(List.of(tp));
                    paused.add(tp);
                    PAUSES.incrementAndGet();
                }
            }
            return null;
        }

        /** Every partition read to the end taken at the start, and everything held printed. */
        boolean finished() {
            return queue.isEmpty() && watermark() == null;
        }
    }

    private static void seek(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions, Instant from) {
        if (from == null) {
            consumer.seekToBeginning(partitions);
            return;
        }
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(tp -> times.put(tp, from.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
        List<TopicPartition> noneAfter = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp at = offsets.get(tp);
            if (at == null) {
                noneAfter.add(tp);
            } else {
                consumer.seek(tp, at.offset());
            }
        }
        consumer.seekToEnd(noneAfter);
    }

    private Row decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return null; // a compaction tombstone
        }
        try {
            Event<?> event = EventCodec.decode(record.value());
            Map<String, Object> data = TollgateCli.mapper().convertValue(event.data(), new TypeReference<>() {
            });
            return new Row(record.topic(), record.partition(), record.offset(), event, data);
        } catch (MalformedEventException e) {
            root.err().println("tollgate: skipping malformed record " + record.topic() + "/" + record.partition() + "@"
                    + record.offset() + ": " + e.getMessage());
            return null;
        }
    }

    private boolean print(Row row, boolean headerPrinted) {
        Event<?> e = row.event();
        if (root.json) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("topic", row.topic());
            line.put("partition", row.partition());
            line.put("offset", row.offset());
            line.put("id", e.id());
            line.put("time", e.time().toString());
            line.put("type", e.type());
            line.put("source", e.source().toString());
            line.put("subject", e.subject());
            line.put("data", row.data());
            root.printJson(line);
            return true;
        }
        String format = "%-24s  %-26s  %-10s  %-16s  %-15s  %s%n";
        if (!headerPrinted) {
            root.out().printf(format, "TIME", "TYPE", "USER", "CLIENT", "IP", "DETAIL");
        }
        String detail = row.data().entrySet().stream()
                .filter(en -> en.getValue() != null && !NOT_DETAIL.contains(en.getKey()))
                .map(en -> en.getKey() + "=" + en.getValue()).collect(Collectors.joining(" "));
        root.out().printf(format, e.time(), e.eventType().eventName(), dash(row.data().get("userId")),
                dash(row.data().get("clientId")), dash(row.data().get("ip")), detail);
        root.out().flush();
        return true;
    }

    private static String dash(Object value) {
        return value == null ? "-" : value.toString();
    }

    static Instant parseTime(String text, String option) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw new CliException(option + " must be an ISO-8601 instant (2026-11-29T03:00:00Z) or date, not '"
                        + text + "'", 2);
            }
        }
    }
}
