package io.tollgate.gateway.auth;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;

import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * The claims checks of an access token for one API, each failure a {@link RefusedTokenException} with its own
 * {@link Refusal}: the API in {@code aud}, the required claims present, {@code iss} exactly the issuer, not expired,
 * not before {@code nbf}, not issued in the future, all with the clock skew. Nimbus runs it after the signature
 * verified; the checks run in that order, so a token with several faults gets the first one's reason.
 */
final class AccessTokenClaimsVerifier implements JWTClaimsSetVerifier<SecurityContext> {
    private final String api;
    private final String issuer;
    private final Set<String> requiredClaims;
    private final long skewMillis;

    AccessTokenClaimsVerifier(String api, String issuer, Set<String> requiredClaims, long skewSeconds) {
        this.api = api;
        this.issuer = issuer;
        this.requiredClaims = Set.copyOf(requiredClaims);
        this.skewMillis = skewSeconds * 1000;
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws RefusedTokenException {
        List<String> audience = claims.getAudience();
        if (audience == null || !audience.contains(api)) {
            throw new RefusedTokenException(Refusal.WRONG_AUDIENCE);
        }
        if (!claims.getClaims().keySet().containsAll(requiredClaims)) {
            throw new RefusedTokenException(Refusal.MISSING_CLAIMS);
        }
        if (!issuer.equals(claims.getClaim("iss"))) {
            throw new RefusedTokenException(Refusal.WRONG_ISSUER);
        }
        long now = System.currentTimeMillis();
        Date exp = claims.getExpirationTime();
        if (exp != null && exp.getTime() + skewMillis <= now) {
            throw new RefusedTokenException(Refusal.EXPIRED);
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.getTime() - skewMillis >= now) {
            throw new RefusedTokenException(Refusal.NOT_YET_VALID);
        }
        // A token "issued" in the future would outlive every user or client revocation (iat <= not-before).
        Date iat = claims.getIssueTime();
        if (iat != null && iat.getTime() / 1000 > now / 1000 + skewMillis / 1000) {
            throw new RefusedTokenException(Refusal.ISSUED_IN_FUTURE);
        }
    }
}
