package io.tollgate.gateway.core;

import java.util.List;
import java.util.Set;

/** The claims of an access token whose signature, type, issuer, audience and lifetime were verified. */
public record VerifiedToken(
        String subject,
        String clientId,
        String scope,
        Set<String> scopes,
        List<String> audience,
        String jti,
        String sid,
        long issuedAt,
        long expiresAt) {

    public VerifiedToken {
        scopes = Set.copyOf(scopes);
        audience = List.copyOf(audience);
    }
}
