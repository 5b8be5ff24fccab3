package io.tollgate.gateway.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits what an upstream connection received into the requests a proxy forwarded, and says which input each
 * came from: the id in its path ({@code /mobile/c<id>/}) or its {@code X-Request-Id} ({@code nd-<id>}); a
 * request without either (smuggled in a body, say) belongs to the input before it on the same connection.
 */
final class UpstreamRecord {
    /**
     * One forwarded request. {@code strict} is null when the bytes are not a request under the strict parser
     * ({@code strictError} says why); {@code lenient} is the reference reading where there is one.
     */
    record Forwarded(int owner, Http1Parser.Request strict, String strictError, Http1Parser.Request lenient,
                     String raw) {
        Http1Parser.Request best() {
            return strict != null ? strict : lenient;
        }
    }

    private static final Pattern PATH_ID = Pattern.compile("/mobile/c(\\d+)/");
    private static final Pattern REQUEST_ID = Pattern.compile("^nd-(\\d+)$");

    private UpstreamRecord() {
    }

    /** Every forwarded request in {@code bytes}; {@code owner} is the input they belong to when none says (-1: none). */
    static List<Forwarded> split(byte[] bytes, int owner) {
        List<Forwarded> out = new ArrayList<>();
        int pos = 0;
        while (pos < bytes.length) {
            Http1Parser.Request strict = null;
            Http1Parser.Request lenient = null;
            String error = null;
            int consumed;
            try {
                strict = Http1Parser.parse(bytes, pos, Http1Parser.Mode.STRICT);
                consumed = strict.consumed();
            } catch (Http1Parser.Invalid | Http1Parser.Incomplete e) {
                error = e instanceof Http1Parser.Incomplete ? "an incomplete request" : e.getMessage();
                try {
                    lenient = Http1Parser.parse(bytes, pos, Http1Parser.Mode.REFERENCE);
                    consumed = lenient.consumed();
                } catch (Http1Parser.Invalid | Http1Parser.Incomplete e2) {
                    consumed = bytes.length - pos; // the rest cannot be split further
                }
            }
            Http1Parser.Request best = strict != null ? strict : lenient;
            int glued = gluedPrefix(best);
            if (glued > 0) {
                // body bytes a proxy sent without framing, glued to the next request's method ("helloGET"):
                // they belong to the request before them, the request after them to whoever it names
                out.add(new Forwarded(owner, null, "bytes outside any request's framing", null,
                        new String(bytes, pos, glued, StandardCharsets.ISO_8859_1)));
                pos += glued;
                continue;
            }
            String raw = new String(bytes, pos, consumed, StandardCharsets.ISO_8859_1);
            int id = best != null ? idOf(best) : idOf(raw);
            if (id > 0) {
                owner = id;
            }
            out.add(new Forwarded(owner, strict, error, lenient, raw));
            pos += consumed;
        }
        return out;
    }

    /** Forwarded requests of every connection, by owner; the bytes of each connection start at {@code from}. */
    static Map<Integer, List<Forwarded>> byOwner(List<byte[]> connections, int defaultOwner) {
        Map<Integer, List<Forwarded>> out = new HashMap<>();
        for (byte[] c : connections) {
            for (Forwarded f : split(c, defaultOwner)) {
                out.computeIfAbsent(f.owner(), k -> new ArrayList<>()).add(f);
            }
        }
        return out;
    }

    private static final List<String> METHODS = List.of("GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH",
            "CONNECT", "TRACE");

    /** How many leading bytes of the method are not part of a known method that it ends with (0: none). */
    private static int gluedPrefix(Http1Parser.Request r) {
        if (r == null || METHODS.contains(r.method())) {
            return 0;
        }
        for (String m : METHODS) {
            if (r.method().endsWith(m)) {
                return r.method().length() - m.length();
            }
        }
        return 0;
    }

    private static int idOf(Http1Parser.Request r) {
        Matcher m = PATH_ID.matcher(r.target());
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        String requestId = r.first("x-request-id");
        if (requestId != null) {
            Matcher q = REQUEST_ID.matcher(requestId);
            if (q.matches()) {
                return Integer.parseInt(q.group(1));
            }
        }
        return -1;
    }

    private static int idOf(String raw) {
        int lineEnd = raw.indexOf('\n');
        Matcher m = PATH_ID.matcher(lineEnd < 0 ? raw : raw.substring(0, lineEnd));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
