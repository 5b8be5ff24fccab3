package io.tollgate.shared.dpop;

/**
 * A verified DPoP proof.
 *
 * @param jkt      the RFC 7638 SHA-256 thumbprint of the proof's public key (base64url), the value of {@code cnf.jkt}
 * @param jti      the proof's identifier, for the caller's replay check
 * @param issuedAt the proof's {@code iat}, epoch seconds
 */
public record DpopProof(String jkt, String jti, long issuedAt) {
}
