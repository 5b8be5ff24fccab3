package io.tollgate.gateway.core;

/** The character classes of the HTTP and URI grammars: ALPHA and DIGIT (RFC 5234) plus a rule's own characters. */
public final class Ascii {
    /**
     * ALPHA and DIGIT by code point, for the ASCII range. One load and one well-predicted branch per character: the
     * three range tests it replaces branch on the letter's case and kind, which a token's random base64 mixes.
     */
    private static final boolean[] ALPHA_NUM = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            ALPHA_NUM[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            ALPHA_NUM[c] = true;
            ALPHA_NUM[Character.toUpperCase(c)] = true;
        }
    }

    private Ascii() {
    }

    /**
     * The class of the ASCII letters and digits and {@code others} (ASCII), as a table for {@link #in} and
     * {@link #allIn}: one load per character, where searching {@code others} would cost a scan for every character
     * outside ALPHA and DIGIT.
     */
    public static boolean[] alphaNumOr(String others) {
        boolean[] table = ALPHA_NUM.clone();
        for (int i = 0; i < others.length(); i++) {
            char c = others.charAt(i);
            if (c >= table.length) {
                throw new IllegalArgumentException("not ASCII: U+" + Integer.toHexString(c));
            }
            table[c] = true;
        }
        return table;
    }

    /** Whether {@code c} is in {@code table}, a class made by {@link #alphaNumOr}. */
    public static boolean in(boolean[] table, char c) {
        return c < table.length && table[c];
    }

    /** Whether every character of {@code s} is in {@code table}, a class made by {@link #alphaNumOr}. */
    public static boolean allIn(CharSequence s, boolean[] table) {
        for (int i = 0; i < s.length(); i++) {
            if (!in(table, s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Writes the low {@code digits} hex digits of {@code value} (lower case) at {@code out[at]}, most significant first. */
    public static void hex(long value, byte[] out, int at, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            out[at + i] = HEX_DIGITS[(int) (value & 0xF)];
            value >>>= 4;
        }
    }
}
