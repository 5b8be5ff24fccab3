package io.tollgate.tokenapi.mail;

/** A message could not be handed over (server down, refused, TLS required but not offered, outbox unwritable). */
public final class MailException extends RuntimeException {
    public MailException(String message, Throwable cause) {
        super(message, cause);
    }
}
