package io.tollgate.tokenapi.portal;

import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Every portal change is a record on {@code tollgate.registry}: sent, acknowledged ({@code acks=all}), and then
 * awaited in the local {@link RegistryView}, so the next page (and the token endpoint) already sees it.
 */
public final class RegistryWriter {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryWriter.class);
    private final Producer<String, Event<?>> producer;
    private final RegistryView view;
    private final URI source;
    private final Duration timeout;

    public RegistryWriter(Producer<String, Event<?>> producer, RegistryView view, URI source, Duration timeout) {
        this.producer = producer;
        this.view = view;
        this.source = source;
        this.timeout = timeout;
    }

    /**
     * Writes {@code data} under its subject and waits until {@code visible} holds in the view, or the view has
     * applied the write's offset: a concurrent later write to the same key (two operators deciding one
     * subscription at once) supersedes this one, and the wait must still end.
     */
    public void put(EventData data, BooleanSupplier visible) {
        RecordMetadata written = send(data.subject(), Event.of(source, data));
        await(() -> visible.getAsBoolean() || view.hasApplied(written.partition(), written.offset()), data.subject());
    }

    /** Writes a tombstone for {@code key} (no wait: call {@link #await} for the last one). */
    public void delete(String key) {
        send(key, null);
    }

    public void await(BooleanSupplier visible, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!visible.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                LOG.warn("event=portal.registry_lag key={}", what);
                throw PortalException.unavailable("the change was recorded but is not visible yet; reload shortly");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw PortalException.unavailable("interrupted");
            }
        }
    }

    private RecordMetadata send(String key, Event<?> value) {
        try {
            RecordMetadata written = producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), key, value))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("event=portal.registry_write key={} tombstone={}", key, value == null);
            return written;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PortalException.unavailable("interrupted");
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("event=portal.registry_write_failed key={} error={}", key, e.getClass().getSimpleName());
            throw PortalException.unavailable("the registry is temporarily unavailable");
        }
    }
}
