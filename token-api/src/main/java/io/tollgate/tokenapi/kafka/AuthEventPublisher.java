package io.tollgate.tokenapi.kafka;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.topics.Topic;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Emits auth events (keyed by user id) and revocations (keyed by {@link Revocation#key()}) through one
 * idempotent {@code acks=all} producer. Sends are asynchronous: a login never waits for the broker. While
 * the broker is away the producer buffers and retries for {@code kafka.deliveryTimeout}; only when its
 * buffer stays full for {@code max.block.ms} does a send fail here, and the caller refuses the request
 * (503) rather than issue tokens without their audit event.
 */
public final class AuthEventPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(AuthEventPublisher.class);

    private final Producer<String, Event<?>> producer;
    private final URI source;
    private final Meter lost;

    public AuthEventPublisher(Producer<String, Event<?>> producer, URI source, MetricRegistry metrics) {
        this.producer = producer;
        this.source = source;
        this.lost = metrics.meter(MetricRegistry.name(AuthEventPublisher.class, "events-lost"));
    }

    /** An auth event on {@code tollgate.auth-events}, keyed by the user id (the event subject). */
    public void emit(EventData data) {
        send(Topics.AUTH_EVENTS, data.subject(), data);
    }

    public void revocation(Revocation revocation) {
        send(Topics.REVOCATIONS, revocation.key(), revocation);
    }

    private void send(Topic<String, Event<?>> topic, String key, EventData data) {
        Event<?> event = Event.of(source, data);
        Future<RecordMetadata> sent;
        try {
            sent = producer.send(new ProducerRecord<>(topic.name(), key, event), (metadata, error) -> {
                if (error != null) {
                    lost.mark();
                    LOG.error("event=kafka.event_lost type={} id={} error={}", event.type(), event.id(),
                            error.getClass().getSimpleName());
                }
            });
        } catch (KafkaException | IllegalStateException e) {
            lost.mark();
            LOG.warn("event=kafka.send_refused type={} error={}", event.type(), e.getClass().getSimpleName());
            throw new EventsUnavailableException("the event buffer is full", e);
        }
        // A full buffer or missing metadata fails the send at once (after max.block.ms) through the future.
        if (sent.isDone()) {
            try {
                sent.get();
            } catch (ExecutionException e) {
                throw new EventsUnavailableException("the event could not be buffered", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EventsUnavailableException("interrupted", e);
            }
        }
    }
}
