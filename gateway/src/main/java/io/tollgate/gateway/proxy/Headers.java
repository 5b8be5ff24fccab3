package io.tollgate.gateway.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.netty.util.AsciiString;

/** Header rules of a proxy: hop-by-hop removal (RFC 9110 §7.6.1), correlation id. */
final class Headers {
    static final String REQUEST_ID = "X-Request-Id";
    private static final AsciiString[] HOP_BY_HOP_NAMES = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade").stream()
            .map(AsciiString::of).toArray(AsciiString[]::new);

    private Headers() {
    }

    /** Copies every end-to-end header: drops the hop-by-hop set and whatever {@code Connection} names. */
    static void copyEndToEnd(HttpHeaders from, HttpHeaders to) {
        Set<String> named = null;
        for (String connection : from.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : connection.split(",")) {
                if (named == null) {
                    named = new HashSet<>();
                }
                named.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        for (var it = from.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            CharSequence name = header.getKey();
            if (isHopByHop(name)
                    || (named != null && named.contains(name.toString().toLowerCase(Locale.ROOT)))) {
                continue;
            }
            to.add(name, header.getValue());
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
