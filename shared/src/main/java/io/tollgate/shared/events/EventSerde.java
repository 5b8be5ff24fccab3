package io.tollgate.shared.events;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for Tollgate events in CloudEvents structured JSON. A null value (a compaction
 * tombstone) stays null. Decoding a malformed record throws {@link MalformedEventException}.
 */
public final class EventSerde implements Serde<Event<?>> {

    public static final EventSerde INSTANCE = new EventSerde();

    @Override
    public Serializer<Event<?>> serializer() {
        return (topic, event) -> event == null ? null : EventCodec.encode(event);
    }

    @Override
    public Deserializer<Event<?>> deserializer() {
        return (topic, bytes) -> bytes == null ? null : EventCodec.decode(bytes);
    }
}
