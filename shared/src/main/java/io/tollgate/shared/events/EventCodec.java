package io.tollgate.shared.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.tollgate.shared.json.Json;

import java.io.IOException;
import java.time.ZoneOffset;

/**
 * Encodes events as CloudEvents 1.0 structured-mode JSON, byte for byte as the CloudEvents SDK writes them
 * ({@link EventJson}, {@link ApiCallJson}; the data record by Jackson), and decodes them through the SDK back into
 * typed {@link Event}s.
 */
public final class EventCodec {
    public static final String DATA_CONTENT_TYPE = "application/json";

    private static final EventFormat FORMAT = new JsonFormat();
    private static final ObjectMapper MAPPER = Json.mapper();

    private EventCodec() {
    }

    /** The event as the CloudEvents SDK's object; {@link #encode} writes the same JSON without building it. */
    public static CloudEvent toCloudEvent(Event<?> event) {
        byte[] data;
        try {
            data = MAPPER.writeValueAsBytes(event.data());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + event.type(), e);
        }
        return CloudEventBuilder.v1()
                .withId(event.id())
                .withSource(event.source())
                .withType(event.type())
                .withTime(event.time().atOffset(ZoneOffset.UTC))
                .withSubject(event.subject())
                .withDataContentType(DATA_CONTENT_TYPE)
                .withData(data)
                .build();
    }

    public static byte[] encode(Event<?> event) {
        if (event.data() instanceof ApiCall call) {
            return ApiCallJson.encode(event, call); // the gateway's per-request event: no SDK objects
        }
        return EventJson.encode(MAPPER, event);
    }

    /**
     * Decodes a structured-mode CloudEvent.
     *
     * @throws MalformedEventException if the bytes are not a Tollgate event of a known type with valid data
     */
    public static Event<?> decode(byte[] bytes) {
        CloudEvent cloudEvent;
        try {
            cloudEvent = FORMAT.deserialize(bytes);
        } catch (EventDeserializationException | IllegalStateException | IllegalArgumentException e) {
            throw new MalformedEventException("not a CloudEvents JSON envelope: " + e.getMessage(), e);
        }
        return fromCloudEvent(cloudEvent);
    }

    public static Event<?> fromCloudEvent(CloudEvent cloudEvent) {
        EventType type = EventType.fromType(cloudEvent.getType())
                .orElseThrow(() -> new MalformedEventException("unknown event type " + cloudEvent.getType()));
        CloudEventData data = cloudEvent.getData();
        if (data == null) {
            throw new MalformedEventException(cloudEvent.getType() + " event without data");
        }
        if (cloudEvent.getTime() == null) {
            throw new MalformedEventException(cloudEvent.getType() + " event without time");
        }
        try {
            EventData parsed = MAPPER.readValue(data.toBytes(), type.dataClass());
            return new Event<>(cloudEvent.getId(), cloudEvent.getSource(), cloudEvent.getTime().toInstant(), parsed);
        } catch (IOException | RuntimeException e) {
            throw new MalformedEventException("invalid data for " + cloudEvent.getType() + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
