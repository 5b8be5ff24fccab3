package io.tollgate.testkit.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The seeded generator of hostile fragments. The seed comes from {@code -Dtollgate.fuzz.seed=...} (else
 * the clock) and is printed, so every failing run can be replayed exactly; each input {@code i} draws from
 * its own {@code Random(seed + i)}, so the inputs do not depend on thread scheduling.
 */
public final class Hostile {
    public static final List<String> TRAVERSALS = List.of("..", "%2e%2e", "%2E%2E", "%252e%252e", ".%2e", "%2e.",
            "..\\", "..%5c", "%5c..", "..%2f", "%2e%2e%2f", "..;", "..%00", "%c0%ae%c0%ae", "..%252f",
            "\\..\\", ".%252e");
    public static final List<String> LDAP_META = List.of("*", "(", ")", "\\", "\u0000", "*)(uid=*", "admin)(|(uid=*",
            "\\2a", "*)(&", "alice)(objectClass=*", "\\00", "alice*", "(|(uid=alice)(uid=bob))", "uid=alice,ou=people");
    public static final List<String> CONTENT_TYPES = List.of("application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=UTF-8", "application/x-www-form-urlencoded; charset=latin1",
            "application/json", "text/plain", "multipart/form-data; boundary=x", "", "*/*", "application/xml",
            "application/x-www-form-urlencoded;;;", "\u00ff\u00fe", "application/x-www-form-urlencoded; charset=\"");

    private Hostile() {
    }

    public static long seed() {
        String configured = System.getProperty("tollgate.fuzz.seed");
        long seed = configured == null || configured.isBlank() ? System.nanoTime() ^ System.currentTimeMillis()
                : Long.parseLong(configured.trim());
        System.out.println("tollgate.fuzz.seed=" + seed + " (replay with -Dtollgate.fuzz.seed=" + seed + ")");
        return seed;
    }

    public static int inputs() {
        return Integer.getInteger("tollgate.fuzz.inputs", 10_000);
    }

    public static Random random(long seed, int input) {
        return new Random(new SplittableRandom(seed + input * 0x9E3779B97F4A7C15L).nextLong());
    }

    public static <T> T pick(Random r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    /** Printable ASCII, sometimes with any char of the BMP mixed in. */
    public static String text(Random r, int maxLength) {
        int n = r.nextInt(maxLength + 1);
        StringBuilder b = new StringBuilder(n);
        boolean wide = r.nextInt(4) == 0;
        for (int i = 0; i < n; i++) {
            b.append(wide && r.nextInt(3) == 0 ? (char) (1 + r.nextInt(0xD7FF)) : (char) (32 + r.nextInt(95)));
        }
        return b.toString();
    }

    /** Bytes that are not valid UTF-8: lone continuation bytes, overlongs, surrogates, truncated sequences. */
    public static byte[] invalidUtf8(Random r) {
        byte[][] bad = {{(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xFF},
                {(byte) 0xFE, (byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(text(r, 8).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bad[r.nextInt(bad.length)]);
        out.writeBytes(text(r, 8).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    public static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    /** Random bytes of any value. */
    public static byte[] bytes(Random r, int maxLength) {
        byte[] b = new byte[r.nextInt(maxLength + 1)];
        r.nextBytes(b);
        return b;
    }

    public static String base64urlish(Random r, int maxLength) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        String junk = "+/=.%$ \t!~";
        int n = r.nextInt(maxLength + 1);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(r.nextInt(20) == 0 ? junk.charAt(r.nextInt(junk.length())) : alphabet.charAt(r.nextInt(64)));
        }
        return b.toString();
    }
}
