package io.tollgate.shared.events;

import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * The gateway's per-request event as CloudEvents structured-mode JSON, written straight into a buffer the writer
 * keeps: the same bytes the CloudEvents SDK writes around the data record ({@code EventCodecTest} compares them),
 * with only the result allocated per event ({@link #encode}), or nothing ({@link ApiCallBytes}). Strings are escaped
 * as Jackson's generator escapes them:
 * {@code "} and {@code \} with a backslash, {@code \b \t \n \f \r} in short form, other characters below U+0020
 * and every surrogate as {@code \}{@code uXXXX} (upper-case hex); everything else as UTF-8.
 */
final class ApiCallJson {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LOWER_HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = ascii("{\"specversion\":\"1.0\",\"id\":");
    private static final byte[] SOURCE = ascii(",\"source\":");
    private static final byte[] TYPE = ascii(",\"type\":");
    private static final byte[] CONTENT_TYPE = ascii(",\"datacontenttype\":");
    private static final byte[] SUBJECT = ascii(",\"subject\":");
    private static final byte[] TIME = ascii(",\"time\":");
    private static final byte[] DATA = ascii(",\"data\":{");
    private static final byte[] CLIENT_ID = ascii("\"clientId\":");
    private static final byte[] USER_ID = ascii("\"userId\":");
    private static final byte[] API = ascii("\"api\":");
    private static final byte[] ROUTE = ascii(",\"route\":");
    private static final byte[] METHOD = ascii(",\"method\":");
    private static final byte[] STATUS = ascii(",\"status\":");
    private static final byte[] LATENCY = ascii(",\"latencyMicros\":");
    private static final byte[] OUTCOME = ascii(",\"outcome\":");
    private static final byte[] TRACE_ID = ascii(",\"traceId\":");
    private static final byte[] END = ascii("}}");

    /** One writer per encoding thread (the gateway's event sender): a typical api.call is 400-450 bytes. */
    private static final ThreadLocal<ApiCallJson> WRITERS = ThreadLocal.withInitial(ApiCallJson::new);

    private byte[] buffer = new byte[512];
    private int length;

    ApiCallJson() {
    }

    /** The event's JSON bytes. */
    static byte[] encode(Event<?> event, ApiCall call) {
        ApiCallJson writer = WRITERS.get();
        writer.write(event, call);
        return Arrays.copyOf(writer.buffer, writer.length);
    }

    /** The bytes of the last {@link #write}: the first {@link #length()} of this array, until the next write. */
    byte[] buffer() {
        return buffer;
    }

    int length() {
        return length;
    }

    /** Writes the event's JSON into {@link #buffer()}. */
    void write(Event<?> event, ApiCall call) {
        length = 0;
        raw(ID);
        string(event.id());
        afterId(event.source(), event.time(), call);
    }

    /**
     * Writes into {@link #buffer()} the JSON of an event whose id is the UUID of {@code idMsb} and {@code idLsb} in
     * {@link UUID#toString()}'s form, without the id, the UUID or the event as objects.
     */
    void write(long idMsb, long idLsb, URI source, Instant time, ApiCall call) {
        length = 0;
        raw(ID);
        ensure(38);
        buffer[length++] = '"';
        hex(idMsb >>> 32, 8);
        buffer[length++] = '-';
        hex(idMsb >>> 16, 4);
        buffer[length++] = '-';
        hex(idMsb, 4);
        buffer[length++] = '-';
        hex(idLsb >>> 48, 4);
        buffer[length++] = '-';
        hex(idLsb, 12);
        buffer[length++] = '"';
        afterId(source, time, call);
    }

    /** The low {@code digits} hex digits of {@code value}, lower case (room ensured by the caller). */
    private void hex(long value, int digits) {
        for (int i = length + digits - 1; i >= length; i--) {
            buffer[i] = LOWER_HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
        length += digits;
    }

    private void afterId(URI source, Instant time, ApiCall call) {
        raw(SOURCE);
        string(source.toString());
        raw(TYPE);
        string(EventType.API_CALL.type());
        raw(CONTENT_TYPE);
        string(EventCodec.DATA_CONTENT_TYPE);
        raw(SUBJECT);
        subject(call);
        raw(TIME);
        time(time, true);
        raw(DATA);
        if (call.clientId() != null) {
            raw(CLIENT_ID);
            string(call.clientId());
            comma();
        }
        if (call.userId() != null) {
            raw(USER_ID);
            string(call.userId());
            comma();
        }
        raw(API);
        string(call.api());
        if (call.route() != null) {
            raw(ROUTE);
            string(call.route());
        }
        raw(METHOD);
        string(call.method());
        raw(STATUS);
        number(call.status());
        raw(LATENCY);
        number(call.latencyMicros());
        raw(OUTCOME);
        string(call.outcome().name());
        raw(TIME);
        time(call.time(), false);
        if (call.traceId() != null) {
            raw(TRACE_ID);
            string(call.traceId());
        }
        raw(END);
    }

    /**
     * The call's {@link ApiCall#subject()}, its {@link ApiCall#key()} written in parts:
     * escaping works character by character, so the parts escaped one by one are the whole escaped.
     */
    private void subject(ApiCall call) {
        single('"');
        characters(ApiCall.keyPart(call.clientId()));
        single(ApiCall.KEY_SEPARATOR);
        characters(ApiCall.keyPart(call.userId()));
        single('"');
    }

    /**
     * A quoted time: {@link IsoTimes#offsetUtc} for the envelope's, {@link IsoTimes#instant} for the call's (ASCII,
     * nothing to escape).
     */
    private void time(Instant time, boolean envelope) {
        ensure(IsoTimes.MAX_LENGTH + 2);
        buffer[length++] = '"';
        length = envelope ? IsoTimes.offsetUtc(time, buffer, length) : IsoTimes.instant(time, buffer, length);
        buffer[length++] = '"';
    }

    private void comma() {
        single(',');
    }

    private void single(char c) {
        ensure(1);
        buffer[length++] = (byte) c;
    }

    private void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    /** A JSON string: quoted, escaped, UTF-8. */
    private void string(String s) {
        single('"');
        characters(s);
        single('"');
    }

    /** The characters of a JSON string, escaped, UTF-8, without the quotes. */
    private void characters(String s) {
        ensure(s.length() * 6); // the longest form of a char is the 6 bytes of an escape
        byte[] out = buffer;
        int n = length;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                out[n++] = (byte) c;
            } else if (c == '"' || c == '\\') {
                out[n++] = '\\';
                out[n++] = (byte) c;
            } else if (c < 0x20) {
                n = control(out, n, c);
            } else if (c < 0x800) {
                out[n++] = (byte) (0xC0 | c >> 6);
                out[n++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isSurrogate(c)) {
                n = unicodeEscape(out, n, c);
            } else {
                out[n++] = (byte) (0xE0 | c >> 12);
                out[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[n++] = (byte) (0x80 | c & 0x3F);
            }
        }
        length = n;
    }

    private static int control(byte[] out, int n, char c) {
        byte shortForm = switch (c) {
            case '\b' -> 'b';
            case '\t' -> 't';
            case '\n' -> 'n';
            case '\f' -> 'f';
            case '\r' -> 'r';
            default -> 0;
        };
        if (shortForm == 0) {
            return unicodeEscape(out, n, c);
        }
        out[n++] = '\\';
        out[n++] = shortForm;
        return n;
    }

    private static int unicodeEscape(byte[] out, int n, char c) {
        out[n++] = '\\';
        out[n++] = 'u';
        out[n++] = HEX[c >> 12 & 0xF];
        out[n++] = HEX[c >> 8 & 0xF];
        out[n++] = HEX[c >> 4 & 0xF];
        out[n++] = HEX[c & 0xF];
        return n;
    }

    /** A decimal number, as Jackson writes an int or a long. */
    private void number(long value) {
        ensure(20);
        if (value == Long.MIN_VALUE) {
            raw(ascii(Long.toString(value)));
            return;
        }
        if (value < 0) {
            buffer[length++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            buffer[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
