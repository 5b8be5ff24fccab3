package io.tollgate.gateway.core;

/**
 * An access token where it arrived: the characters {@code [from, to)} of {@code text} (the {@code Authorization}
 * value). Syntax checks and the verified-token cache key read it in place; {@link #token()} copies it out.
 */
public record TokenText(String text, int from, int to) {

    /** The token as a string of its own (the text itself when the token is all of it). */
    public String token() {
        return from == 0 && to == text.length() ? text : text.substring(from, to);
    }
}
