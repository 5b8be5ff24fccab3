package io.tollgate.gateway.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.tollgate.gateway.core.Ascii;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Header rules of a proxy's outbound side: hop-by-hop removal from responses (RFC 9110 §7.6.1), correlation id. */
final class Headers {
    static final AsciiString REQUEST_ID = AsciiString.cached("X-Request-Id");
    private static final java.util.Map<String, AsciiString> KNOWN = java.util.Map.of(
            "RateLimit-Policy", AsciiString.cached("RateLimit-Policy"), "RateLimit", AsciiString.cached("RateLimit"),
            "Retry-After", AsciiString.cached("Retry-After"));
    private static final AsciiString CONNECTION = AsciiString.cached("connection");
    private static final AsciiString[] HOP_BY_HOP_NAMES = {CONNECTION, AsciiString.cached("keep-alive"),
        AsciiString.cached("proxy-connection"), AsciiString.cached("proxy-authenticate"),
        AsciiString.cached("proxy-authorization"), AsciiString.cached("te"), AsciiString.cached("trailer"),
        AsciiString.cached("transfer-encoding"), AsciiString.cached("upgrade")};

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
     * response. The pass notes which of the fixed hop-by-hop names occur (a bit each) and, in a list made only then,
     * the options outside that set (a {@code Connection: close}, say); the fields of both are removed after it.
     */
    static void removeHopByHop(HttpHeaders headers) {
        int seen = 0;
        List<CharSequence> named = null;
        for (var it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            CharSequence name = header.getKey();
            int hop = hopByHop(name, 0, name.length());
            if (hop >= 0) {
                seen |= 1 << hop;
                if (HOP_BY_HOP_NAMES[hop] == CONNECTION) {
                    named = connectionOptions(header.getValue(), named);
                }
            }
        }
        for (int hop = 0; seen != 0; hop++, seen >>>= 1) {
            if ((seen & 1) != 0) {
                headers.remove(HOP_BY_HOP_NAMES[hop]); // names compare case-insensitively
            }
        }
        if (named != null) {
            for (int i = 0; i < named.size(); i++) {
                headers.remove(named.get(i));
            }
        }
    }

    /**
     * Adds to {@code to} (made at the first) the comma-separated options of one {@code Connection} value, trimmed,
     * empty ones and those of the fixed hop-by-hop set (removed anyway) skipped.
     */
    private static List<CharSequence> connectionOptions(CharSequence value, List<CharSequence> to) {
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
                if (end > from && hopByHop(value, from, end) < 0) {
                    to = to == null ? new ArrayList<>(2) : to;
                    to.add(value.subSequence(from, end));
                }
                start = i + 1;
            }
        }
        return to;
    }

    /** The fixed hop-by-hop set, compared without lower-casing a copy of every header name. */
    static boolean isHopByHop(CharSequence name) {
        return hopByHop(name, 0, name.length()) >= 0;
    }

    /** The index in {@link #HOP_BY_HOP_NAMES} of {@code text[from, to)} (ASCII case-insensitively), or -1. */
    private static int hopByHop(CharSequence text, int from, int to) {
        for (int i = 0; i < HOP_BY_HOP_NAMES.length; i++) {
            AsciiString hop = HOP_BY_HOP_NAMES[i];
            if (hop.length() == to - from && AsciiString.regionMatchesAscii(hop, true, 0, text, from, to - from)) {
                return i;
            }
        }
        return -1;
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
     * unique, not unpredictable, and {@link UUID#randomUUID()} takes a lock on a SecureRandom per request. Written
     * as {@link UUID#toString()} spells it into the thread's scratch array: the string is the only object made.
     */
    static String randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        byte[] out = ID_SCRATCH.get();
        Ascii.hex(msb >>> 32, out, 0, 8);
        out[8] = '-';
        Ascii.hex(msb >>> 16, out, 9, 4);
        out[13] = '-';
        Ascii.hex(msb, out, 14, 4);
        out[18] = '-';
        Ascii.hex(lsb >>> 48, out, 19, 4);
        out[23] = '-';
        Ascii.hex(lsb, out, 24, 12);
        return new String(out, 0, ID_LENGTH, StandardCharsets.ISO_8859_1);
    }

    private static final int ID_LENGTH = 36;
    private static final ThreadLocal<byte[]> ID_SCRATCH = ThreadLocal.withInitial(() -> new byte[ID_LENGTH]);
}
