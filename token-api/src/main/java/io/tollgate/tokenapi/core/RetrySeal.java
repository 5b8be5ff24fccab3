package io.tollgate.tokenapi.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tollgate.shared.json.Json;
import io.tollgate.tokenapi.api.TokenResponse;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Seals the successor pair of a rotation so that only the holder of the rotated refresh token can read it back:
 * AES-256-GCM under a key derived (HKDF-SHA256, RFC 5869) from the raw presented token, which Redis never sees (it
 * holds the token's SHA-256 only). The presented token's hash is the associated data, so a sealed pair moved to
 * another token's slot does not open. Redis thus never holds a usable token in the clear, even within the reuse
 * interval.
 */
public final class RetrySeal {
    private static final byte[] SALT = "tollgate refresh retry".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INFO = "tollgate.refresh.retry.v1 aes-256-gcm".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private RetrySeal() {
    }

    /** What a retry answers again: the successor pair as first answered. */
    public record Pair(@JsonProperty("access_token") String accessToken,
                       @JsonProperty("token_type") String tokenType,
                       @JsonProperty("expires_at") long accessExpiresAtSeconds,
                       @JsonProperty("refresh_token") String refreshToken,
                       @JsonProperty("scope") String scope) {

        /** The answer to a retry at {@code now}: the same tokens, {@code expires_in} what is left of the access token. */
        public TokenResponse response(Instant now) {
            return new TokenResponse(accessToken, tokenType, Math.max(0, accessExpiresAtSeconds - now.getEpochSecond()),
                    refreshToken, scope);
        }

        @Override
        public String toString() {
            return "Pair[access_token=[REDACTED], refresh_token=[REDACTED], scope=" + scope + "]";
        }
    }

    /** @return base64url of nonce ‖ ciphertext ‖ tag */
    public static String seal(String presentedToken, String presentedHash, Pair pair) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] plain;
        try {
            plain = Json.mapper().writeValueAsBytes(pair);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, presentedToken, nonce, presentedHash);
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return B64.encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required by every JVM", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** The pair, or empty when {@code sealed} was not sealed for this token (wrong token, tampered, malformed). */
    public static Optional<Pair> open(String presentedToken, String presentedHash, String sealed) {
        byte[] in;
        try {
            in = B64D.decode(sealed);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (in.length <= NONCE_BYTES + TAG_BITS / 8) {
            return Optional.empty();
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, presentedToken, Arrays.copyOf(in, NONCE_BYTES), presentedHash);
            byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            try {
                return Optional.of(Json.mapper().readValue(plain, Pair.class));
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        } catch (AEADBadTagException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required by every JVM", e);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Cipher cipher(int mode, String presentedToken, byte[] nonce, String presentedHash)
            throws GeneralSecurityException {
        byte[] key = hkdfSha256(presentedToken.getBytes(StandardCharsets.UTF_8), SALT, INFO, 32);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(presentedHash.getBytes(StandardCharsets.US_ASCII));
            return cipher;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** HKDF (RFC 5869) with HMAC-SHA256: extract, then expand to {@code length} bytes (at most 255 × 32). */
    static byte[] hkdfSha256(byte[] ikm, byte[] salt, byte[] info, int length) throws GeneralSecurityException {
        if (length < 1 || length > 255 * 32) {
            throw new IllegalArgumentException("HKDF-SHA256 output is 1 to 8160 bytes");
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        byte[] out = new byte[length];
        byte[] block = new byte[0];
        int done = 0;
        for (int i = 1; done < length; i++) {
            mac.update(block);
            mac.update(info);
            mac.update((byte) i);
            block = mac.doFinal();
            int n = Math.min(block.length, length - done);
            System.arraycopy(block, 0, out, done, n);
            done += n;
        }
        Arrays.fill(prk, (byte) 0);
        return out;
    }
}
