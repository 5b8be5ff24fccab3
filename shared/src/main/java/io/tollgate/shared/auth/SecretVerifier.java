package io.tollgate.shared.auth;

import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.crypto.PasswordHashes;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PBKDF2 verification of client secrets and operator/resource-server passwords, with a cache of
 * verified (hash, secret) fingerprints so that a busy resource server does not pay 200k PBKDF2 rounds
 * per call. The fingerprint includes the stored hash, so a changed secret is verified again.
 */
public final class SecretVerifier {
    private static final int MAX_CACHED = 10_000;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    /** True when this secret already verified against this hash (no hashing now). */
    public boolean isRemembered(String secret, String storedHash) {
        return secret != null && storedHash != null && verified.contains(Hashes.sha256(storedHash + "\u0000" + secret));
    }

    public boolean verify(String secret, String storedHash) {
        if (secret == null || storedHash == null) {
            return false;
        }
        String fingerprint = Hashes.sha256(storedHash + "\u0000" + secret);
        if (verified.contains(fingerprint)) {
            return true;
        }
        if (!PasswordHashes.verify(secret, storedHash)) {
            return false;
        }
        if (verified.size() >= MAX_CACHED) {
            verified.clear();
        }
        verified.add(fingerprint);
        return true;
    }
}
