package io.tollgate.ops.cli;

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
import picocli.CommandLine.ParentCommand;

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
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Reads {@code tollgate.auth-events} and {@code tollgate.revocations} for security teams. Read-only:
 * the consumer has no group, assigns the partitions itself and seeks by timestamp, so it needs no write
 * access to the cluster and leaves no trace in it.
 */
@Command(name = "audit", description = "Search or follow the audit topics (tollgate.auth-events, tollgate.revocations).")
final class AuditCommand implements Callable<Integer> {
    private static final Set<String> NOT_DETAIL = Set.of("userId", "clientId", "ip", "refreshTokenHash");

    @ParentCommand
    TollgateCli root;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events as they arrive (Ctrl-C to stop).")
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

    @Option(names = "--max", description = "Stop after this many matching events.")
    Integer max;

    record Row(String topic, int partition, long offset, Event<?> event, Map<String, Object> data) {
    }

    @Override
    public Integer call() {
        AuditFilter filter = new AuditFilter(parseTime(from, "--from"), parseTime(to, "--to"), user, client, type, ip);
        int shown = 0;
        try (KafkaConsumer<String, byte[]> consumer = KafkaAccess.reader(root.kafka())) {
            List<TopicPartition> partitions = new ArrayList<>(KafkaAccess.partitions(consumer, Topics.AUTH_EVENTS.name()));
            partitions.addAll(KafkaAccess.partitions(consumer, Topics.REVOCATIONS.name()));
            consumer.assign(partitions);
            seek(consumer, partitions, filter.from());
            Map<TopicPartition, Long> end = follow ? null : consumer.endOffsets(partitions);
            List<Row> batch = new ArrayList<>();
            boolean headerPrinted = false;
            while (end == null || !KafkaAccess.caughtUp(consumer, end)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Row row = decode(record);
                    if (row != null && filter.matches(row.event(), row.data())) {
                        batch.add(row);
                    }
                }
                if (follow && !batch.isEmpty()) {
                    batch.sort(Comparator.comparing(r -> r.event().time()));
                    for (Row row : batch) {
                        headerPrinted = print(row, headerPrinted);
                        if (max != null && ++shown >= max) {
                            return 0;
                        }
                    }
                    batch.clear();
                }
            }
            batch.sort(Comparator.comparing(r -> r.event().time()));
            for (Row row : batch) {
                headerPrinted = print(row, headerPrinted);
                if (max != null && ++shown >= max) {
                    break;
                }
            }
            if (batch.isEmpty() && !root.json) {
                root.out().println("no matching events");
            }
            root.out().flush();
        }
        return 0;
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
