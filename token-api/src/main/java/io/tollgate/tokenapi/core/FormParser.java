package io.tollgate.tokenapi.core;

import io.tollgate.shared.net.PercentDecoding;
import io.tollgate.tokenapi.api.OAuthException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Strict {@code application/x-www-form-urlencoded} parsing for the OAuth endpoints: a parameter sent twice,
 * malformed percent-encoding, bytes that are not UTF-8, or a body over the limit are {@code invalid_request}
 * (RFC 6749 §3.1, §3.2). Parameters without a value count as omitted (RFC 6749 §3.1). The one exception to "sent
 * twice" is a parameter its standard defines as repeatable, named by the caller: {@code resource} at the token
 * endpoint (RFC 8707 §2 allows several).
 */
public final class FormParser {
    public static final String FORM = "application/x-www-form-urlencoded";

    private FormParser() {
    }

    /** Refuses any content type but the form type (charset, when given, must be UTF-8). */
    public static void requireFormContentType(String contentType) {
        if (contentType == null) {
            throw OAuthException.invalidRequest("the body must be application/x-www-form-urlencoded");
        }
        String[] parts = contentType.split(";");
        if (!FORM.equalsIgnoreCase(parts[0].trim())) {
            throw OAuthException.invalidRequest("the body must be application/x-www-form-urlencoded");
        }
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].trim().split("=", 2);
            if (kv.length == 2 && "charset".equalsIgnoreCase(kv[0].trim())) {
                String charset = kv[1].trim().replace("\"", "").toUpperCase(Locale.ROOT);
                if (!charset.equals("UTF-8") && !charset.equals("UTF8")) {
                    throw OAuthException.invalidRequest("the form must be UTF-8");
                }
            }
        }
    }

    /** Reads at most {@code maxBytes}; more is {@code invalid_request}. */
    public static byte[] readLimited(InputStream in, long maxBytes) {
        if (in == null) {
            return new byte[0];
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
                if (total > maxBytes) {
                    throw OAuthException.invalidRequest("the request body is too large");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw OAuthException.invalidRequest("the request body could not be read");
        }
    }

    /**
     * A parsed form: the single-valued parameters, and the values of each repeatable one in the order sent.
     */
    public record Form(Map<String, String> params, Map<String, List<String>> repeated) {
        public Form {
            params = Collections.unmodifiableMap(params);
            repeated = Map.copyOf(repeated);
        }

        /** Every value of a repeatable parameter (none: empty). */
        public List<String> all(String name) {
            return repeated.getOrDefault(name, List.of());
        }
    }

    public static Map<String, String> parse(byte[] body) {
        return parse(body, Set.of()).params();
    }

    /** As {@link #parse(byte[])}, but each name in {@code repeatable} may be sent any number of times. */
    public static Form parse(byte[] body, Set<String> repeatable) {
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, List<String>> repeated = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        if (body.length == 0) {
            return new Form(params, repeated);
        }
        String ascii = new String(body, StandardCharsets.ISO_8859_1);
        for (String pair : ascii.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (name.isEmpty()) {
                throw OAuthException.invalidRequest("a parameter has no name");
            }
            if (repeatable.contains(name)) {
                if (!value.isEmpty()) {
                    repeated.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                }
                continue;
            }
            if (!seen.add(name)) {
                throw OAuthException.invalidRequest("parameter " + safe(name) + " is repeated");
            }
            if (!value.isEmpty()) {
                params.put(name, value);
            }
        }
        repeated.replaceAll((name, values) -> List.copyOf(values));
        return new Form(params, repeated);
    }

    /** Form decoding ({@link PercentDecoding}, {@code +} is a space); anything malformed is invalid_request. */
    static String decode(String encoded) {
        try {
            return PercentDecoding.decode(encoded, PercentDecoding.Plus.SPACE);
        } catch (PercentDecoding.MalformedException e) {
            throw OAuthException.invalidRequest(switch (e.problem()) {
                case MALFORMED_ESCAPE -> "malformed percent-encoding";
                case RAW_NON_ASCII -> "the form holds raw characters outside ASCII: they must be percent-encoded";
                case NOT_UTF8 -> "the form is not valid UTF-8";
            });
        }
    }

    /** A parameter name fit to echo in an error description. */
    static String safe(String name) {
        return name.length() <= 40 && name.chars().allMatch(c -> c >= 0x21 && c <= 0x7e) ? name : "(unprintable)";
    }
}
