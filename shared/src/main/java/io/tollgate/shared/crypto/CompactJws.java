package io.tollgate.shared.crypto;

import java.util.Arrays;

/** The syntax of a JWS in compact serialization, checked before any parsing. */
public final class CompactJws {
    /** The RFC 4648 §5 alphabet: each character's 6-bit value is its index. */
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** {@link #ALPHABET} inverted for the ASCII range: -1 for a character outside it. */
    private static final byte[] VALUES = new byte[128];

    static {
        Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUES[ALPHABET.charAt(i)] = (byte) i;
        }
    }

    private CompactJws() {
    }

    /**
     * Exactly three non-empty, unpadded, canonical base64url segments (RFC 7515 §7.1, §2; RFC 4648 §3.5): a
     * padded or re-spelled copy of a token (standard alphabet, {@code =}, whitespace, or a last character whose
     * unused low bits are set, which decodes to the same bytes) is not the token, and is refused before it is
     * parsed. A segment of 4k+1 characters is no base64 at all.
     */
    public static boolean isWellFormed(String token) {
        return token != null && isWellFormed(token, 0, token.length());
    }

    /** {@link #isWellFormed(String)} of the characters {@code [from, to)} of {@code text}, without copying them. */
    public static boolean isWellFormed(String text, int from, int to) {
        String token = text;
        int dots = 0;
        int segment = 0;
        int last = 0;
        for (int i = from; i < to; i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (!canonicalEnd(segment, last)) {
                    return false;
                }
                dots++;
                segment = 0;
                continue;
            }
            int value = value(c);
            if (value < 0) {
                return false;
            }
            segment++;
            last = value;
        }
        return dots == 2 && canonicalEnd(segment, last);
    }

    /** A non-empty segment whose last character carries no bits beyond the encoded bytes. */
    private static boolean canonicalEnd(int length, int last) {
        return switch (length % 4) {
            case 0 -> length > 0;
            case 2 -> (last & 0x0F) == 0; // 12 bits for one byte
            case 3 -> (last & 0x03) == 0; // 18 bits for two bytes
            default -> false;
        };
    }

    /** The 6-bit value of a base64url character, or -1. */
    private static int value(char c) {
        return c < VALUES.length ? VALUES[c] : -1;
    }
}
