package io.tollgate.gateway.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Header rules of a proxy's outbound side: hop-by-hop removal from responses (RFC 9110 §7.6.1), correlation id. */
final class Headers {
    static final AsciiString REQUEST_ID = AsciiString.cached("X-Request-Id");
    private static final java.util.Map<String, AsciiString> KNOWN = java.util.Map.of(
            "RateLimit-Policy", AsciiString.cached("RateLimit-Policy"), "RateLimit", AsciiString.cached("RateLimit"),
            "Retry-After", AsciiString.cached("Retry-After"));
    private static final AsciiString[] HOP_BY_HOP_NAMES = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade").stream()
            .map(AsciiString::of).toArray(AsciiString[]::new);

    private Headers() {
    }

    /** The header name as a (hash-caching) AsciiString: a constant for the gateway's own response headers. */
    static CharSequence name(String name) {
        AsciiString known = KNOWN.get(name);
        return known != null ? known : name;
    }

    /**
     * Removes, in place, every hop-by-hop header of an upstream response and whatever its {@code Connection} names.
     * One pass over the headers, the options read where they stand: no value list, split array or name copy per
     * response (an upstream's {@code Connection: keep-alive} is on nearly every one).
     */
    static void removeHopByHop(HttpHeaders headers) {
        List<CharSequence> remove = new ArrayList<>(4);
        for (var it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            CharSequence name = header.getKey();
            if (isHopByHop(name)) {
                remove.add(name);
                if (HttpHeaderNames.CONNECTION.contentEqualsIgnoreCase(name)) {
                    connectionOptions(header.getValue(), remove);
                }
            }
        }
        for (CharSequence name : remove) {
            headers.remove(name); // names compare case-insensitively
        }
    }

    /** Adds the comma-separated options of one {@code Connection} value, trimmed, empty ones skipped. */
    private static void connectionOptions(CharSequence value, List<CharSequence> to) {
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
            if (i == value.length() || value.charAt(i) == ',') {
                int from = start;
                int end = i;
                while (from < end && value.charAt(from) <= ' ') {
                    from++;
                }
                while (end > from && value.charAt(end - 1) <= ' ') {
                    end--;
                }
                if (end > from) {
                    to.add(value.subSequence(from, end));
                }
                start = i + 1;
            }
        }
    }

    /** The fixed hop-by-hop set, compared without lower-casing a copy of every header name. */
    static boolean isHopByHop(CharSequence name) {
        for (AsciiString hop : HOP_BY_HOP_NAMES) {
            if (hop.length() == name.length() && hop.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** The client's correlation id when it is a short token of safe characters, else a fresh one. */
    static String requestId(String offered) {
        if (offered != null && !offered.isEmpty() && offered.length() <= 128) {
            boolean safe = true;
            for (int i = 0; i < offered.length() && safe; i++) {
                char c = offered.charAt(i);
                safe = c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';';
            }
            if (safe) {
                return offered;
            }
        }
        return randomId();
    }

    /**
     * A random version-4 UUID string from the thread's {@link ThreadLocalRandom}: a correlation id must be
     * unique, not unpredictable, and {@link UUID#randomUUID()} takes a lock on a SecureRandom per request.
     */
    static String randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
