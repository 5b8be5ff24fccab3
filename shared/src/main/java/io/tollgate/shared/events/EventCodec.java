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

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.ZoneOffset;

/**
 * Encodes events as CloudEvents 1.0 structured-mode JSON (the CloudEvents SDK writes the envelope;
 * Jackson writes the data record) and decodes them back into typed {@link Event}s.
 */
public final class EventCodec {
    public static final String DATA_CONTENT_TYPE = "application/json";

    private static final EventFormat FORMAT = new JsonFormat();
    private static final ObjectMapper MAPPER = Json.mapper();

    private EventCodec() {
    }

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
            return encodeApiCall(event, call);
        }
        return FORMAT.serialize(toCloudEvent(event));
    }

    /** One buffer per encoding thread (the gateway's event sender): a typical api.call is 400-450 bytes. */
    private static final ThreadLocal<ByteArrayOutputStream> API_CALL_BUFFER =
            ThreadLocal.withInitial(() -> new ByteArrayOutputStream(512));

    /**
     * The gateway's per-request event, written straight to bytes with Jackson's streaming generator: the
     * same structured-mode JSON, byte for byte, that the CloudEvents SDK writes around the data record
     * ({@code EventCodecTest} proves it), without building the CloudEvent, the data byte array and the JSON
     * tree the SDK parses it back into.
     */
    static byte[] encodeApiCall(Event<?> event, ApiCall call) {
        ByteArrayOutputStream out = API_CALL_BUFFER.get(); // the thread's own: only the result is a new array
        out.reset();
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("specversion", "1.0");
            json.writeStringField("id", event.id());
            json.writeStringField("source", event.source().toString());
            json.writeStringField("type", EventType.API_CALL.type());
            json.writeStringField("datacontenttype", DATA_CONTENT_TYPE);
            json.writeStringField("subject", call.subject());
            json.writeStringField("time", IsoTimes.offsetUtc(event.time()));
            json.writeObjectFieldStart("data");
            if (call.clientId() != null) {
                json.writeStringField("clientId", call.clientId());
            }
            if (call.userId() != null) {
                json.writeStringField("userId", call.userId());
            }
            json.writeStringField("api", call.api());
            if (call.route() != null) {
                json.writeStringField("route", call.route());
            }
            json.writeStringField("method", call.method());
            json.writeNumberField("status", call.status());
            json.writeNumberField("latencyMicros", call.latencyMicros());
            json.writeStringField("outcome", call.outcome().name());
            json.writeStringField("time", IsoTimes.instant(call.time()));
            if (call.traceId() != null) {
                json.writeStringField("traceId", call.traceId());
            }
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode " + event.type(), e);
        }
        return out.toByteArray();
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
