package io.tollgate.tokenapi.kafka;

/** An event could not even be handed to the producer (its buffer stayed full for max.block.ms). */
public class EventsUnavailableException extends RuntimeException {
    public EventsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
