package io.tollgate.shared.keys;

import com.nimbusds.jose.jwk.JWK;

import java.time.Instant;
import java.util.Objects;

/**
 * One private signing key of the key set file and its life so far.
 *
 * @param jwk         the private key, with its {@code kid}
 * @param state       where it stands
 * @param created     when it was generated (null: not recorded)
 * @param published   when it was last put in the JWKS (null: never, or not recorded)
 * @param activated   when it last became the signing key (null: never, or not recorded)
 * @param deactivated when it last stopped signing (null: it never stopped, or not recorded); the tokens it signed
 *                    live until this plus the longest token lifetime
 * @param demo        made by token-api itself at start-up ({@code keys.generateIfMissing}), for a local stack only
 */
public record ManagedKey(JWK jwk, KeyState state, Instant created, Instant published, Instant activated,
                         Instant deactivated, boolean demo) {
    public ManagedKey {
        Objects.requireNonNull(jwk, "jwk");
        Objects.requireNonNull(state, "state");
        if (jwk.getKeyID() == null || jwk.getKeyID().isBlank()) {
            throw new KeySetException("every signing key needs a kid");
        }
        if (!jwk.isPrivate()) {
            throw new KeySetException("key " + jwk.getKeyID() + " has no private part");
        }
    }

    public String kid() {
        return jwk.getKeyID();
    }

    /** The key's {@code alg}, or its key type when it names none. */
    public String algorithm() {
        return jwk.getAlgorithm() != null ? jwk.getAlgorithm().getName() : jwk.getKeyType().getValue();
    }

    ManagedKey withState(KeyState newState, Instant newPublished, Instant newActivated, Instant newDeactivated) {
        return new ManagedKey(jwk, newState, created, newPublished, newActivated, newDeactivated, demo);
    }

    /** Names the key, never its private part. */
    @Override
    public String toString() {
        return "ManagedKey[kid=" + kid() + ", alg=" + algorithm() + ", state=" + state.label() + ", private=[REDACTED]]";
    }
}
