package io.tollgate.gateway.core;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/) {@code traceparent} values: which a client's value the
 * gateway forwards, and new ones for requests that bring none or an invalid one.
 *
 * <p>Parsing follows the specification: version {@code 00} is exactly {@code 00-<32 hex trace-id>-<16 hex
 * parent-id>-<2 hex flags>}, lower-case hex only, and an all-zero trace-id or parent-id is invalid; version
 * {@code ff} is invalid; a higher version is read by the version-00 layout of its first 55 characters, followed by
 * the end or a {@code -}, and is forwarded as version {@code 00} with the same ids and flags (the fields this
 * gateway knows). A new value has a random trace-id and parent-id and the sampled flag ({@code 01}).
 */
public final class TraceContext {
    /** Length of a version-00 {@code traceparent}. */
    public static final int LENGTH = 55;
    /** Each thread's scratch for a new value: the string made from it is the only allocation. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[LENGTH]);

    private TraceContext() {
    }

    /**
     * The value to forward for a client's {@code traceparent}: the value itself when it is a valid version-00
     * value, its version-00 form when it is a valid higher version, null when it is invalid (then a new trace starts).
     */
    public static String forward(String value) {
        if (value == null || value.length() < LENGTH) {
            return null;
        }
        if (!hex(value, 0, 2) || value.charAt(2) != '-' || !hex(value, 3, 35) || value.charAt(35) != '-'
                || !hex(value, 36, 52) || value.charAt(52) != '-' || !hex(value, 53, 55)
                || zeros(value, 3, 35) || zeros(value, 36, 52)) {
            return null;
        }
        if (value.startsWith("00")) {
            return value.length() == LENGTH ? value : null;
        }
        if (value.startsWith("ff") || value.length() > LENGTH && value.charAt(LENGTH) != '-') {
            return null;
        }
        return "00" + value.substring(2, LENGTH);
    }

    /** A new version-00 value: random trace-id and parent-id (never all zero), sampled. */
    public static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong();
        long low = random.nextLong();
        if (high == 0 && low == 0) {
            low = 1;
        }
        long parent = random.nextLong();
        if (parent == 0) {
            parent = 1;
        }
        byte[] out = SCRATCH.get();
        out[0] = '0';
        out[1] = '0';
        out[2] = '-';
        Ascii.hex(high, out, 3, 16);
        Ascii.hex(low, out, 19, 16);
        out[35] = '-';
        Ascii.hex(parent, out, 36, 16);
        out[52] = '-';
        out[53] = '0';
        out[54] = '1';
        return new String(out, 0, LENGTH, StandardCharsets.ISO_8859_1);
    }

    /** The 32-character trace-id of a value {@link #forward} or {@link #generate} returned; null for null. */
    public static String traceId(String traceparent) {
        return traceparent == null ? null : traceparent.substring(3, 35);
    }

    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeros(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
