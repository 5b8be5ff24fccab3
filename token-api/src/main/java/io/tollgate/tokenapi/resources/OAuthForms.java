package io.tollgate.tokenapi.resources;

import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.core.FormParser;

import java.io.InputStream;
import java.util.Map;
import java.util.Set;

/** Reads the strict form body of an OAuth endpoint. */
final class OAuthForms {
    private OAuthForms() {
    }

    static Map<String, String> read(String contentType, InputStream body, long maxBytes) {
        FormParser.requireFormContentType(contentType);
        return FormParser.parse(FormParser.readLimited(body, maxBytes));
    }

    /** As {@link #read}, with the parameters in {@code repeatable} allowed more than once. */
    static FormParser.Form read(String contentType, InputStream body, long maxBytes, Set<String> repeatable) {
        FormParser.requireFormContentType(contentType);
        return FormParser.parse(FormParser.readLimited(body, maxBytes), repeatable);
    }

    /** The {@code token} a revocation (RFC 7009 §2.1) or introspection (RFC 7662 §2.1) request must name. */
    static String token(Map<String, String> form) {
        String token = form.get("token");
        if (token == null) {
            throw OAuthException.invalidRequest("token is required");
        }
        return token;
    }
}
