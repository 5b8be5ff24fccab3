package io.tollgate.shared.dpop;

/**
 * Why a DPoP proof (RFC 9449 §4.3) was refused. Each reason's description is a fixed text, safe to show the client
 * in an {@code error_description}.
 */
public enum DpopFailure {
    MISSING("a DPoP proof is required"),
    MULTIPLE("more than one DPoP header"),
    MALFORMED("the DPoP proof is not a well-formed JWS"),
    TYPE("the DPoP proof's typ must be dpop+jwt"),
    ALGORITHM("the DPoP proof's alg must be ES256 or EdDSA"),
    NO_KEY("the DPoP proof's header carries no jwk"),
    PRIVATE_KEY("the DPoP proof's jwk holds private key material"),
    SYMMETRIC_KEY("the DPoP proof's jwk is a symmetric key"),
    UNSUPPORTED_KEY("the DPoP proof's jwk must be a P-256 key for ES256 or an Ed25519 key for EdDSA"),
    SIGNATURE("the DPoP proof's signature does not verify with its jwk"),
    MISSING_JTI("the DPoP proof has no jti"),
    JTI_TOO_LONG("the DPoP proof's jti is too long"),
    METHOD("the DPoP proof's htm does not match the request method"),
    URI("the DPoP proof's htu does not match the request URI"),
    MISSING_IAT("the DPoP proof has no iat"),
    TOO_OLD("the DPoP proof's iat is too old"),
    IN_FUTURE("the DPoP proof's iat is in the future"),
    MISSING_ATH("the DPoP proof has no ath for the access token"),
    WRONG_ATH("the DPoP proof's ath does not match the access token"),
    KEY_MISMATCH("the DPoP proof is not signed by the key the token is bound to"),
    REPLAYED("the DPoP proof was already used");

    private final String description;

    DpopFailure(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
