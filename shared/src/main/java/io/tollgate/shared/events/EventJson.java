package io.tollgate.shared.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Every event but the gateway's {@code api.call} ({@link ApiCallJson}) as CloudEvents structured-mode JSON: the bytes
 * the CloudEvents SDK writes ({@code EventCodecTest} compares them for every event type), streamed by one Jackson
 * generator: the envelope's attributes in the SDK's order, then the data record by the mapper. The SDK would build
 * its event object, validate it, write the data to bytes and copy those through a String into its own generator.
 */
final class EventJson {
    private EventJson() {
    }

    static byte[] encode(ObjectMapper mapper, Event<?> event) {
        byte[] time = new byte[IsoTimes.MAX_LENGTH];
        int timeLength = IsoTimes.offsetUtc(event.time(), time, 0);
        try (ByteArrayBuilder out = new ByteArrayBuilder(512);
             JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("specversion", "1.0");
            json.writeStringField("id", event.id());
            json.writeStringField("source", event.source().toString());
            json.writeStringField("type", event.type());
            json.writeStringField("datacontenttype", EventCodec.DATA_CONTENT_TYPE);
            if (event.subject() != null) {
                json.writeStringField("subject", event.subject());
            }
            json.writeFieldName("time");
            json.writeUTF8String(time, 0, timeLength);
            json.writeFieldName("data");
            mapper.writeValue(json, event.data());
            json.writeEndObject();
            json.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + event.type(), e);
        }
    }
}
