package io.tollgate.gateway.kafka;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.tollgate.shared.events.ApiCall;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sends one {@code api.call} per answered request to {@code tollgate.calls}. Request threads only
 * {@code offer} to a bounded queue (dropped and counted when full); a dedicated sender thread hands
 * batches to the producer, whose {@code max.block.ms} is a few milliseconds, so a slow or absent broker
 * costs events, never request latency.
 */
public final class CallEventPublisher implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(CallEventPublisher.class);

    private final Producer<String, Event<?>> producer;
    private final URI source;
    private final BlockingQueue<ApiCall> queue;
    private final Counter dropped;
    private final Counter sent;
    private final Counter failed;
    private volatile boolean running;
    private Thread sender;

    public CallEventPublisher(Producer<String, Event<?>> producer, URI source, int capacity, MetricRegistry metrics) {
        this.producer = producer;
        this.source = source;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.dropped = metrics.counter("gateway.events.dropped");
        this.sent = metrics.counter("gateway.events.sent");
        this.failed = metrics.counter("gateway.events.failed");
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

    private void run() {
        List<ApiCall> batch = new ArrayList<>(512);
        while (running || !queue.isEmpty()) {
            try {
                ApiCall first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 511);
                for (ApiCall call : batch) {
                    send(call);
                }
                batch.clear();
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            }
        }
    }

    private void send(ApiCall call) {
        try {
            producer.send(new ProducerRecord<>(Topics.CALLS.name(), call.key(), Event.of(source, call)),
                    (metadata, error) -> {
                        if (error == null) {
                            sent.inc();
                        } else {
                            failed.inc();
                        }
                    });
        } catch (RuntimeException e) {
            // max.block.ms elapsed (no metadata, full buffer): the event is lost, the request was not slowed.
            dropped.inc();
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
