package io.tollgate.shared.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** SHA-256 fingerprints of tokens: what Tollgate stores and emits instead of a raw token. */
public final class Hashes {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private Hashes() {
    }

    /** SHA-256 of the UTF-8 bytes, base64url without padding (43 characters). */
    public static String sha256(String value) {
        return B64URL.encodeToString(sha256Bytes(value.getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] sha256Bytes(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
