package io.tollgate.tokenapi.core;

import io.tollgate.shared.crypto.ConstantTime;
import io.tollgate.shared.crypto.Hashes;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * RFC 7636 proof key for code exchange, {@code S256} only: a {@code code_verifier} is 43 to 128 characters of
 * {@code [A-Z] [a-z] [0-9] - . _ ~}, and its challenge is {@code BASE64URL(SHA256(ASCII(verifier)))} without padding,
 * so always 43 characters of the base64url alphabet.
 */
public final class Pkce {
    public static final String S256 = "S256";
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private Pkce() {
    }

    public static boolean isVerifier(String verifier) {
        return verifier != null && VERIFIER.matcher(verifier).matches();
    }

    /** Whether {@code challenge} can be an S256 challenge (the encoding of 32 bytes). */
    public static boolean isChallenge(String challenge) {
        return challenge != null && CHALLENGE.matcher(challenge).matches();
    }

    /** The S256 challenge of a verifier. */
    public static String challenge(String verifier) {
        byte[] digest = Hashes.sha256Bytes(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    /** Whether {@code verifier} is well formed and its S256 challenge is {@code challenge} (constant time). */
    public static boolean verifies(String verifier, String challenge) {
        return isVerifier(verifier) && challenge != null && ConstantTime.equals(challenge(verifier), challenge);
    }
}
