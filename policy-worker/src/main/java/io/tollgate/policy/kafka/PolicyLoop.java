package io.tollgate.policy.kafka;

import io.dropwizard.lifecycle.Managed;
import io.tollgate.policy.core.ContextLoader;
import io.tollgate.policy.core.Decisions;
import io.tollgate.policy.core.PolicyChain;
import io.tollgate.policy.core.PolicyContext;
import io.tollgate.policy.core.RecentRevocations;
import io.tollgate.policy.core.SourceUnavailableException;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventCodec;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.MalformedEventException;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.events.TokenRefreshed;
import io.tollgate.shared.kafka.KafkaFactory;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consume-transform-produce, exactly once: each polled batch is one Kafka transaction holding the
 * decisions, revocations and dead letters it produced together with the consumed offsets
 * ({@code sendOffsetsToTransaction} with the group metadata, so a zombie is fenced by the group
 * generation). A failed batch is aborted and re-polled from the committed offsets after a backoff. The
 * decision logic itself ({@link PolicyChain}, {@link Decisions}) is pure. Stops with {@code wakeup()}.
 *
 * <p>The facts of a batch are gathered ({@link ContextLoader}, the I/O) before its transaction begins, for at most
 * the load budget ({@link #LOAD_BUDGET} unless configured): a slow source then neither outlives the transaction
 * timeout nor the poll interval; records not reached are read again by the next poll. An account or licence source
 * that cannot answer ({@link SourceUnavailableException}: down, slower than its timeout, answering outside its
 * contract) is never a verdict and never a dead letter: the batch is read again from the committed offsets after
 * a backoff (100 ms doubling to 5 s, for as long as the outage lasts), counted by {@link #sourceRetries()} and
 * shown by {@link #sourceUnavailable()}, and decided once the source answers.
 */
public final class PolicyLoop implements Managed {
    public static final String HEADER_REASON = "tollgate.dlq.reason";
    public static final String HEADER_TOPIC = "tollgate.dlq.topic";
    public static final String HEADER_PARTITION = "tollgate.dlq.partition";
    public static final String HEADER_OFFSET = "tollgate.dlq.offset";
    /** How long the facts of one batch may take to gather by default; records beyond it wait for the next poll. */
    public static final Duration LOAD_BUDGET = Duration.ofSeconds(10);
    /** Bytes a fetch waits for by default (about 40 auth events) unless {@link #FETCH_MAX_WAIT} passes first. */
    public static final int FETCH_MIN_BYTES = 32 * 1024;
    /** How long a fetch waits by default for {@link #FETCH_MIN_BYTES}. */
    public static final Duration FETCH_MAX_WAIT = Duration.ofMillis(100);
    private static final Logger LOG = LoggerFactory.getLogger(PolicyLoop.class);

    private final KafkaFactory kafka;
    private final String groupId;
    private final String transactionalId;
    private final ContextLoader loader;
    private final PolicyChain chain;
    private final URI source;
    private final Duration revocationLifetime;
    /** Families revoked by this loop that the projection may not show yet: revoked once, not once per login. */
    private final RecentRevocations recent = new RecentRevocations(Duration.ofMinutes(2));
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong sourceRetries = new AtomicLong();
    private final AtomicLong splitBatches = new AtomicLong();
    private final Duration loadBudget;
    /** When the current source outage began (epoch millis), 0 when the sources answer. */
    private final AtomicLong sourceDownSince = new AtomicLong();
    /** Records behind the log end over the assigned partitions, as of the last poll (read on the loop's thread). */
    private final AtomicLong lag = new AtomicLong();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
    private volatile Set<TopicPartition> assigned = Set.of();
    private Thread thread;

    public PolicyLoop(KafkaFactory kafka, String groupId, String transactionalId, ContextLoader loader,
                      PolicyChain chain, URI source, Duration revocationLifetime) {
        this(kafka, groupId, transactionalId, loader, chain, source, revocationLifetime, LOAD_BUDGET);
    }

    public PolicyLoop(KafkaFactory kafka, String groupId, String transactionalId, ContextLoader loader,
                      PolicyChain chain, URI source, Duration revocationLifetime, Duration loadBudget) {
        this.loadBudget = loadBudget;
        this.kafka = kafka;
        this.groupId = groupId;
        this.transactionalId = transactionalId;
        this.loader = loader;
        this.chain = chain;
        this.source = source;
        this.revocationLifetime = revocationLifetime;
    }

    @Override
    public void start() {
        running = true;
        consumer = new KafkaConsumer<>(consumerProperties(kafka, transactionalId, groupId), new StringDeserializer(),
                new ByteArrayDeserializer());
        thread = new Thread(this::run, "policy-loop");
        thread.start();
    }

    /**
     * The shared consumer settings, and unless {@code kafka.consumer} sets them, a fetch that waits for
     * {@link #FETCH_MIN_BYTES} or {@link #FETCH_MAX_WAIT}, whichever comes first. Each poll is a transaction, which
     * costs the broker the same requests (partitions and offsets added, offsets committed, end) and commit markers
     * whatever the batch holds: under load this makes batches of tens of events instead of one or two. An event
     * waits at most that much longer for its decision (device-limit revocations are due within 3 s of the login).
     */
    static Properties consumerProperties(KafkaFactory kafka, String clientId, String groupId) {
        Properties props = kafka.consumerProperties(clientId, groupId);
        props.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(FETCH_MIN_BYTES));
        props.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Long.toString(FETCH_MAX_WAIT.toMillis()));
        return props;
    }

    private KafkaProducer<String, byte[]> newProducer() {
        Properties props = kafka.producerProperties(transactionalId);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "30000");
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    private void run() {
        KafkaProducer<String, byte[]> producer = null;
        try {
            producer = newProducer();
            consumer.subscribe(List.of(Topics.AUTH_EVENTS.name()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    assigned = Set.of();
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assigned = Set.copyOf(consumer.assignment());
                    LOG.info("event=policy.partitions_assigned count={}", assigned.size());
                }
            });
            long backoff = 100;
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                lag.set(assigned.stream().mapToLong(tp -> consumer.currentLag(tp).orElse(0L)).sum());
                if (records.isEmpty()) {
                    continue;
                }
                List<Prepared> batch;
                try {
                    batch = prepare(records);
                    sourcesAnswer();
                } catch (SourceUnavailableException e) {
                    sourceOutage(e, backoff);
                    rewind(records.partitions());
                    Thread.sleep(backoff);
                    backoff = Math.min(5_000, backoff * 2);
                    continue;
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warn("event=policy.batch_failed action=retry backoffMs={} error=\"{}\"", backoff, e.toString());
                    rewind(records.partitions());
                    Thread.sleep(backoff);
                    backoff = Math.min(5_000, backoff * 2);
                    continue;
                }
                producer.beginTransaction();
                try {
                    for (Prepared prepared : batch) {
                        handle(producer, prepared);
                    }
                    KafkaProducer<String, byte[]> p = producer;
                    retryOnTimeout(() -> p.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata()),
                            "send_offsets");
                    retryOnTimeout(p::commitTransaction, "commit");
                    recent.committed(Instant.now());
                    processed.addAndGet(batch.size());
                    if (batch.size() < records.count()) {
                        seekToFirstNotPrepared(records, batch);
                    }
                    backoff = 100;
                } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
                    throw e; // fatal for this producer: another instance took over, or a config error
                } catch (WakeupException e) {
                    recent.aborted();
                    producer.abortTransaction();
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warn("event=policy.batch_failed action=abort_and_retry backoffMs={} error=\"{}\"", backoff,
                            e.toString());
                    recent.aborted();
                    retryOnTimeout(producer::abortTransaction, "abort");
                    rewind(records.partitions());
                    Thread.sleep(backoff);
                    backoff = Math.min(5_000, backoff * 2);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("event=policy.loop_failed error=\"{}\"", e.toString());
        } finally {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Runs a transaction step again while it times out (the broker is away, e.g. restarting): Kafka requires a
     * timed-out {@code commitTransaction} (or abort, or offsets) to be retried before anything else: giving up
     * here and aborting instead throws an IllegalStateException that would end the loop for good (ops FaultsIT
     * stops the broker under load).
     */
    private void retryOnTimeout(Runnable step, String name) throws InterruptedException {
        while (true) {
            try {
                step.run();
                return;
            } catch (TimeoutException e) {
                if (!running) {
                    throw e;
                }
                LOG.warn("event=policy.transaction_retry step={} error=\"{}\"", name, e.getMessage());
                Thread.sleep(1_000);
            }
        }
    }

    /**
     * One record made ready outside the transaction: {@code context} to decide on, or {@code deadLetter} (the reason
     * a poison record is set aside), or neither (not a policy input).
     */
    private record Prepared(ConsumerRecord<String, byte[]> record, PolicyContext context, String deadLetter) {
    }

    /**
     * The facts of the batch's records in poll order, for at most the load budget (at least one record).
     * Throws when a fact cannot be had: nothing of the batch is decided then.
     */
    private List<Prepared> prepare(ConsumerRecords<String, byte[]> records) {
        long deadline = System.nanoTime() + loadBudget.toNanos();
        List<Prepared> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            if (!batch.isEmpty() && System.nanoTime() - deadline > 0) {
                break;
            }
            batch.add(prepare(record));
        }
        return batch;
    }

    private Prepared prepare(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return new Prepared(record, null, null);
        }
        Event<?> event;
        try {
            event = EventCodec.decode(record.value());
        } catch (MalformedEventException e) {
            return new Prepared(record, null, String.valueOf(e.getMessage()));
        }
        if (event.data() instanceof LoginSucceeded login) {
            return new Prepared(record, loader.forLogin(login), null);
        }
        if (event.data() instanceof TokenRefreshed refresh) {
            return new Prepared(record, loader.forRefresh(refresh), null);
        }
        return new Prepared(record, null, null); // other audit events are not policy inputs
    }

    private void sourceOutage(SourceUnavailableException e, long backoff) {
        sourceRetries.incrementAndGet();
        boolean began = sourceDownSince.compareAndSet(0, System.currentTimeMillis());
        LOG.warn("event=policy.source_unavailable action=retry outageStarted={} backoffMs={} error=\"{}\"", began,
                backoff, e.getMessage());
    }

    private void sourcesAnswer() {
        long since = sourceDownSince.getAndSet(0);
        if (since != 0) {
            LOG.info("event=policy.source_recovered outageMs={}", System.currentTimeMillis() - since);
        }
    }

    /** One prepared record: a decision (plus revocations) for logins and refreshes, a dead letter for poison. */
    private void handle(KafkaProducer<String, byte[]> producer, Prepared prepared) {
        if (prepared.deadLetter() != null) {
            deadLetter(producer, prepared.record(), prepared.deadLetter());
            return;
        }
        PolicyContext context = prepared.context();
        if (context == null) {
            return;
        }
        context = new PolicyContext(context.userId(), context.clientId(), context.familyId(), context.now(),
                context.account(), context.plan(), recent.stillLive(context.families(), context.now()));
        var result = chain.evaluate(context);
        for (Decisions.Output output : Decisions.outputs(context, result, source, revocationLifetime)) {
            producer.send(new ProducerRecord<>(output.topic(), output.key(), EventCodec.encode(output.event())));
            if (output.event().data() instanceof Revocation r && r.kind() == Revocation.Kind.FAMILY) {
                recent.revoking(r.familyId());
            }
        }
        LOG.info("event=policy.decided user={} client={} outcome={} policy={} familiesRevoked={}", context.userId(),
                context.clientId(), result.outcome(), result.policy(), result.familiesToRevoke().size());
    }

    private void deadLetter(KafkaProducer<String, byte[]> producer, ConsumerRecord<String, byte[]> record,
                            String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER_REASON, String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_PARTITION, Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_OFFSET, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(Topics.POLICY_DEAD_LETTERS.name(), null, record.key(), record.value(),
                headers));
        deadLetters.incrementAndGet();
        LOG.warn("event=policy.dead_letter topic={} partition={} offset={}", record.topic(), record.partition(),
                record.offset());
    }

    /** Past the last prepared record of each partition (records of one partition are prepared in order). */
    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<Prepared> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Prepared prepared : batch) {
            ConsumerRecord<String, byte[]> r = prepared.record();
            offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        return offsets;
    }

    /** The load budget ran out: each partition goes back to its first record that was not decided. */
    private void seekToFirstNotPrepared(ConsumerRecords<String, byte[]> records, List<Prepared> batch) {
        Map<TopicPartition, OffsetAndMetadata> done = nextOffsets(batch);
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> list = records.records(tp);
            OffsetAndMetadata next = done.get(tp);
            long first = next == null ? list.get(0).offset() : next.offset();
            if (first <= list.get(list.size() - 1).offset()) {
                consumer.seek(tp, first);
            }
        }
        splitBatches.incrementAndGet();
        LOG.info("event=policy.batch_split decided={} deferred={}", batch.size(), records.count() - batch.size());
    }

    /** After an abort, go back to the last committed offsets so the batch is processed again. */
    private void rewind(Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions);
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata offset = committed.get(tp);
            if (offset == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, offset.offset());
            }
        }
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            thread.join(15_000);
        }
    }

    /** The consumer lag seen at the last poll, summed over this instance's partitions. */
    public long lag() {
        return lag.get();
    }

    public long processed() {
        return processed.get();
    }

    public long deadLetters() {
        return deadLetters.get();
    }

    /** 1 while an account or licence source cannot answer (the last attempt failed on it), else 0. */
    public long sourceUnavailable() {
        return sourceDownSince.get() == 0 ? 0 : 1;
    }

    /** Batches whose facts outlasted the load budget, so that only their first records were decided, since start. */
    public long splitBatches() {
        return splitBatches.get();
    }

    /** Batches read again because an account or licence source could not answer, since start. */
    public long sourceRetries() {
        return sourceRetries.get();
    }

    /** The partitions this instance currently owns. */
    public Set<TopicPartition> assigned() {
        return assigned;
    }

    public boolean isAlive() {
        return thread != null && thread.isAlive();
    }
}
