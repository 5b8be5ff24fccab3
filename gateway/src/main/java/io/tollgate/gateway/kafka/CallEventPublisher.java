package io.tollgate.gateway.kafka;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.tollgate.shared.events.ApiCall;
import io.tollgate.shared.events.ApiCallBytes;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.time.Instant;

/**
 * Sends one {@code api.call} per answered request to {@code tollgate.calls}. Request threads only
 * {@code offer} to a bounded queue (dropped and counted when full); a dedicated sender thread hands
 * batches to the producer and retries a send refused for want of metadata or buffer space, so a slow or
 * absent broker fills the queue (and, past its capacity, costs events), never request latency.
 *
 * <p>The sender thread writes each record's key and value itself ({@link ApiCallBytes}: the bytes of
 * {@link Topics#CALLS}'s serdes) into arrays it reuses: the producer copies them into its batch before
 * {@code send} returns.
 */
public final class CallEventPublisher implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(CallEventPublisher.class);
    private static final long RETRY_BACKOFF_MILLIS = 100;

    private static final String TOPIC = Topics.CALLS.name();

    private final Producer<byte[], byte[]> producer;
    private final URI source;
    private final BlockingQueue<ApiCall> queue;
    private final Counter dropped;
    private final Counter sent;
    private final Counter failed;
    private final Counter stalled;
    private volatile boolean running;
    private volatile Thread sender;
    /** A send's refusal reported synchronously, on the sender thread (only it reads or writes this). */
    private Exception refusedNow;
    /** One callback for every send: counts the outcome, or records a synchronous refusal for {@link #send}. */
    private final Callback completion = this::completed;
    /** The records' bytes (only the sender thread writes them). */
    private final ApiCallBytes bytes = new ApiCallBytes();

    /** @param producer a producer of the records' bytes, as {@link Topics#CALLS}'s serdes write them */
    public CallEventPublisher(Producer<byte[], byte[]> producer, URI source, int capacity, MetricRegistry metrics) {
        this.producer = producer;
        this.source = source;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.dropped = metrics.counter("gateway.events.dropped");
        this.sent = metrics.counter("gateway.events.sent");
        this.failed = metrics.counter("gateway.events.failed");
        this.stalled = metrics.counter("gateway.events.stalled");
        metrics.gauge("gateway.events.queued", () -> queue::size);
    }

    /** Never blocks: a full buffer drops the event and counts it. */
    public void publish(ApiCall call) {
        if (!running || !queue.offer(call)) {
            dropped.inc();
        }
    }

    @Override
    public void start() {
        running = true;
        sender = new Thread(this::run, "call-event-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /**
     * Drains the queue in batches and sleeps (1 ms, backing off to 50 ms while idle) when it is empty,
     * instead of blocking in {@code take}: a blocked taker makes every {@code offer} on a request thread
     * a futex wake-up of this thread, a system call per request.
     */
    private void run() {
        List<ApiCall> batch = new ArrayList<>(512);
        long idleNanos = MIN_IDLE_NANOS;
        while (running || !queue.isEmpty()) {
            queue.drainTo(batch, 512);
            if (batch.isEmpty()) {
                LockSupport.parkNanos(idleNanos);
                idleNanos = Math.min(MAX_IDLE_NANOS, idleNanos * 2);
                continue;
            }
            idleNanos = MIN_IDLE_NANOS;
            for (int i = 0; i < batch.size(); i++) {
                send(batch.get(i));
            }
            batch.clear();
        }
    }

    private static final long MIN_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /**
     * Hands one event to the producer. A send refused at once for want of metadata or buffer space (the broker
     * is away, e.g. restarting: Kafka reports "not present in metadata after max.block.ms" through the callback,
     * on this thread, before {@code send} returns) never reached the producer's buffer, so it is retried here,
     * on the sender thread, until accepted: the queue absorbs the outage, and only a full queue drops (counted).
     * So every call served during a broker restart gets its api.call (ops FaultsIT stops the broker under load).
     */
    private void send(ApiCall call) {
        byte[] key = bytes.key(call);
        // a new event: a random id, the current time to the millisecond (as Event.of makes one)
        byte[] value = bytes.value(source, Instant.ofEpochMilli(System.currentTimeMillis()), call);
        while (true) {
            Exception refused;
            refusedNow = null;
            try {
                producer.send(new ProducerRecord<>(TOPIC, key, value), completion);
                refused = refusedNow;
            } catch (RuntimeException e) {
                refused = e;
            }
            if (refused == null) {
                return;
            }
            if (!(refused instanceof TimeoutException) || !running) {
                dropped.inc(); // not retriable, or stopping with the broker away: lost, and counted
                return;
            }
            stalled.inc();
            try {
                Thread.sleep(RETRY_BACKOFF_MILLIS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                dropped.inc();
                return;
            }
        }
    }

    private void completed(RecordMetadata metadata, Exception error) {
        if (error == null) {
            sent.inc();
        } else if (Thread.currentThread() == sender) {
            refusedNow = error; // synchronous: the record was never buffered
        } else {
            failed.inc();
        }
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (sender != null) {
            sender.join(5_000);
        }
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("event=events.close_failed error={}", e.getClass().getSimpleName());
        }
    }

    public long droppedCount() {
        return dropped.getCount();
    }
}
