package io.tollgate.ops.e2e;

import io.tollgate.shared.events.ApiCall;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventCodec;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.PolicyDecision;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Counts, as a read-committed reader without a consumer group sees them, the {@code login.succeeded} events and
 * the policy decisions per token family and the {@code api.call} events per user, from the first offset on. Each
 * {@link #catchUp()} reads what was committed since the last one.
 */
final class EventTally implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Map<String, Integer> loginsByFamily = new HashMap<>();
    private final Map<String, Integer> decisionsByFamily = new HashMap<>();
    private final Map<String, Integer> callsByUser = new HashMap<>();

    EventTally(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        for (String topic : List.of(Topics.AUTH_EVENTS.name(), Topics.POLICY_DECISIONS.name(), Topics.CALLS.name())) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads up to the last stable offset of every partition (a read-committed reader's end). */
    synchronized EventTally catchUp() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(60));
        while (partitions.stream().anyMatch(tp -> consumer.position(tp, Duration.ofSeconds(60)) < end.get(tp))) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                count(record);
            }
        }
        return this;
    }

    private void count(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        Event<?> event = EventCodec.decode(record.value());
        if (event.data() instanceof LoginSucceeded login) {
            loginsByFamily.merge(login.familyId(), 1, Integer::sum);
        } else if (event.data() instanceof PolicyDecision decision && decision.familyId() != null) {
            decisionsByFamily.merge(decision.familyId(), 1, Integer::sum);
        } else if (event.data() instanceof ApiCall call && call.userId() != null) {
            callsByUser.merge(call.userId(), 1, Integer::sum);
        }
    }

    synchronized int logins(String family) {
        return loginsByFamily.getOrDefault(family, 0);
    }

    synchronized int decisions(String family) {
        return decisionsByFamily.getOrDefault(family, 0);
    }

    synchronized int calls(String user) {
        return callsByUser.getOrDefault(user, 0);
    }

    @Override
    public synchronized void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
