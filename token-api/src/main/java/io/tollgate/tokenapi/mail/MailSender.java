package io.tollgate.tokenapi.mail;

/** Delivers mail the portal sends (address verification). SMTP in production, a file outbox in the local stack. */
public interface MailSender {
    /** Hands {@code mail} over for delivery; throws {@link MailException} when it could not. */
    void send(Mail mail);
}
