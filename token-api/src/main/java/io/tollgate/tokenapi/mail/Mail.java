package io.tollgate.tokenapi.mail;

import java.util.Objects;

/**
 * One plain-text message to one recipient. The text may hold a verification link (a bearer secret until used),
 * so {@link #toString()} never shows it.
 */
public record Mail(String to, String subject, String text) {
    public Mail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
        return "Mail[to=" + to + ", subject=" + subject + ", text=[REDACTED]]";
    }
}
