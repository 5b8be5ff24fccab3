package io.tollgate.ops.cli;

import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventCodec;
import io.tollgate.shared.events.MalformedEventException;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Approves a pending subscription by writing its APPROVED state to {@code tollgate.registry} (the registry's
 * system of record); token-api and the gateway pick it up from their materialized views.
 */
@Command(name = "approve", description = "Approve a subscription (writes the approved record to tollgate.registry).")
final class ApproveCommand implements Callable<Integer> {
    @ParentCommand
    TollgateCli root;

    @Parameters(paramLabel = "<subscription>", description = "The subscription id, e.g. sub-demo-mobile-app-mobile.")
    String subscriptionId;

    @Override
    public Integer call() throws Exception {
        SubscriptionRecord current = find(root.kafka(), subscriptionId);
        if (current == null) {
            throw new CliException("no subscription " + subscriptionId + " in " + Topics.REGISTRY.name());
        }
        SubscriptionRecord approved = current;
        boolean changed = current.status() != SubscriptionRecord.Status.APPROVED;
        if (changed) {
            approved = new SubscriptionRecord(current.subscriptionId(), current.applicationId(), current.clientId(),
                    current.api(), current.planId(), SubscriptionRecord.Status.APPROVED,
                    Instant.now().truncatedTo(ChronoUnit.MILLIS));
            try (Producer<String, Event<?>> producer = KafkaAccess.producer(root.kafka())) {
                producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), approved.subject(),
                        Event.of(Event.source("ops-cli", root.env("USER", "operator")), approved))).get(30, TimeUnit.SECONDS);
            }
        }
        if (root.json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("subscription", approved);
            result.put("changed", changed);
            root.printJson(result);
        } else {
            root.out().println((changed ? "approved " : "already approved: ") + subscriptionId + " (application "
                    + approved.applicationId() + ", client " + approved.clientId() + ", API " + approved.api()
                    + ", plan " + approved.planId() + ")");
            root.out().flush();
        }
        return 0;
    }

    /** The newest record of the subscription, reading the compacted registry topic from the start to its end. */
    static SubscriptionRecord find(String bootstrap, String subscriptionId) {
        SubscriptionRecord found = null;
        try (KafkaConsumer<String, byte[]> consumer = KafkaAccess.reader(bootstrap)) {
            List<TopicPartition> partitions = KafkaAccess.partitions(consumer, Topics.REGISTRY.name());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!caughtUp(consumer, end)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() == null) {
                        continue;
                    }
                    try {
                        Event<?> event = EventCodec.decode(record.value());
                        if (event.data() instanceof SubscriptionRecord s && s.subscriptionId().equals(subscriptionId)) {
                            found = s;
                        }
                    } catch (MalformedEventException e) {
                        // not ours to judge here: skip
                    }
                }
            }
        }
        return found;
    }

    static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
