package io.tollgate.shared.events;

/** A record on a Tollgate topic that is not a valid Tollgate event: a poison record for dead-lettering. */
public class MalformedEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
