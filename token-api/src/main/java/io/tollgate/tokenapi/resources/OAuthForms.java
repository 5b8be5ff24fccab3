package io.tollgate.tokenapi.resources;

import io.tollgate.tokenapi.core.FormParser;

import java.io.InputStream;
import java.util.Map;

/**
 * Reads the strict form body of an OAuth endpoint. The body is read (up to the limit) before anything is judged:
 * an answer given with the request body still unread makes Jetty close the keep-alive connection after the
 * answer without saying so, and a client that sends its next request on it reads no answer at all.
 */
final class OAuthForms {
    private OAuthForms() {
    }

    static Map<String, String> read(String contentType, InputStream body, long maxBytes) {
        return parse(contentType, drain(body, maxBytes));
    }

    /** The raw body, read before the request is judged (a body over {@code maxBytes} is invalid_request). */
    static byte[] drain(InputStream body, long maxBytes) {
        return FormParser.readLimited(body, maxBytes);
    }

    static Map<String, String> parse(String contentType, byte[] raw) {
        FormParser.requireFormContentType(contentType);
        return FormParser.parse(raw);
    }
}
