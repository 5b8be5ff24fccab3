package io.tollgate.shared.events;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Kafka key and value of an {@code api.call} record on {@code tollgate.calls}: the bytes the topic's serdes
 * write ({@link ApiCall#key()} in UTF-8, {@link EventCodec#encode}), in arrays this writer reuses. Each array is
 * exactly as long as its bytes (a Kafka record's key and value are whole arrays) and is reused for the next key or
 * value of the same length, so a caller must be done with one before it asks for the next: Kafka's
 * {@code KafkaProducer.send} copies a record's key and value into its batch before it returns. One writer per
 * thread; not thread-safe.
 */
public final class ApiCallBytes {
    /** Longer keys and values get an array of their own (a typical api.call is 400-450 bytes, its key under 100). */
    private static final int MAX_REUSED = 2048;

    private final ApiCallJson json = new ApiCallJson();
    private final byte[][] keys = new byte[MAX_REUSED + 1][];
    private final byte[][] values = new byte[MAX_REUSED + 1][];
    private byte[] key = new byte[128];

    /** {@link ApiCall#key()} in UTF-8, valid until the next call of {@code key} with a key of the same length. */
    public byte[] key(ApiCall call) {
        int n = asciiKey(ApiCall.keyPart(call.clientId()), 0);
        n = n < 0 ? -1 : put(ApiCall.KEY_SEPARATOR, n);
        n = n < 0 ? -1 : asciiKey(ApiCall.keyPart(call.userId()), n);
        if (n < 0) {
            return call.key().getBytes(StandardCharsets.UTF_8); // a non-ASCII id: rare, and UTF-8 the JDK's way
        }
        return exact(keys, key, n);
    }

    /**
     * The CloudEvents JSON of a new event of {@code call} from {@code source} at {@code time}, with a random
     * version-4 UUID for its id (an event id must be unique; it need not be unpredictable), as
     * {@link EventCodec#encode} writes that event; valid until the next call of {@code value} with a value of the same
     * length.
     */
    public byte[] value(URI source, Instant time, ApiCall call) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        json.write(msb, lsb, source, time, call);
        return exact(values, json.buffer(), json.length());
    }

    /** Appends a {@link ApiCall#keyPart key part} at {@code at}; -1 for a character outside ASCII. */
    private int asciiKey(String s, int at) {
        if (key.length < at + s.length() + 1) {
            key = Arrays.copyOf(key, Math.max(key.length * 2, at + s.length() + 1));
        }
        int n = at;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return -1;
            }
            key[n++] = (byte) c;
        }
        return n;
    }

    private int put(char c, int at) {
        key[at] = (byte) c;
        return at + 1;
    }

    /** The first {@code length} bytes of {@code from} in the array kept for that length in {@code byLength}. */
    private static byte[] exact(byte[][] byLength, byte[] from, int length) {
        if (length > MAX_REUSED) {
            return Arrays.copyOf(from, length);
        }
        byte[] out = byLength[length];
        if (out == null) {
            out = new byte[length];
            byLength[length] = out;
        }
        System.arraycopy(from, 0, out, 0, length);
        return out;
    }
}
