package io.tollgate.shared.crypto;

import java.security.SecureRandom;
import java.util.Base64;

/** Opaque random tokens and identifiers. */
public final class RandomTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private RandomTokens() {
    }

    /** {@code bits} random bits (a multiple of 8), base64url without padding. 256 bits give 43 characters. */
    public static String generate(int bits) {
        if (bits <= 0 || bits % 8 != 0) {
            throw new IllegalArgumentException("bits must be a positive multiple of 8");
        }
        byte[] bytes = new byte[bits / 8];
        RANDOM.nextBytes(bytes);
        return B64URL.encodeToString(bytes);
    }

    /** A 128-bit identifier (jti, family id, subscription id). */
    public static String id() {
        return generate(128);
    }
}
