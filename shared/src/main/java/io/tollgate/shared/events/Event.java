package io.tollgate.shared.events;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * A Tollgate event: CloudEvents 1.0 attributes around typed {@link EventData}. {@link EventCodec}
 * turns it into the structured-mode JSON envelope through the CloudEvents SDK.
 *
 * @param id     unique per event; consumers de-duplicate by it
 * @param source {@code /tollgate/<service>/<node>}
 * @param time   when the outcome became final
 */
public record Event<T extends EventData>(String id, URI source, Instant time, T data) {

    public Event {
        Checks.text(id, "id");
        Objects.requireNonNull(source, "source is required");
        Objects.requireNonNull(time, "time is required");
        Objects.requireNonNull(data, "data is required");
    }

    /** A new event from {@code source}, with a random id and the current time (millisecond precision). */
    public static <T extends EventData> Event<T> of(URI source, T data) {
        return new Event<>(UUID.randomUUID().toString(), source, Instant.now().truncatedTo(ChronoUnit.MILLIS), data);
    }

    /** {@code /tollgate/<service>/<node>}, as docs/events.md names event sources. */
    public static URI source(String service, String node) {
        return URI.create("/tollgate/" + Checks.text(service, "service") + "/" + Checks.text(node, "node"));
    }

    public EventType eventType() {
        return data.eventType();
    }

    /** The CloudEvents {@code type}, e.g. {@code tollgate.login.succeeded}. */
    public String type() {
        return data.eventType().type();
    }

    public String subject() {
        return data.subject();
    }

    /** The data as {@code type}, or a clear error when the event is of another kind. */
    public <D extends EventData> D dataAs(Class<D> type) {
        return type.cast(data);
    }
}
