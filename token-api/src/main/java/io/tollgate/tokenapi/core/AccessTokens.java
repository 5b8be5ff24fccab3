package io.tollgate.tokenapi.core;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tollgate.shared.auth.ClientTokens;
import io.tollgate.shared.crypto.CompactJws;
import io.tollgate.shared.crypto.RandomTokens;
import io.tollgate.tokenapi.api.TokenResponse;
import io.tollgate.tokenapi.keys.SigningKeySource;
import io.tollgate.tokenapi.keys.SigningKeys;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Optional;
import java.util.Set;

/** Issues RFC 9068 access tokens ({@code typ: at+jwt}) and verifies this service's own tokens. */
public final class AccessTokens {
    public static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    /** Tolerated difference between the clocks of token-api nodes for iat and nbf. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final SigningKeySource keys;
    private final String issuer;
    private final Duration lifetime;

    public AccessTokens(SigningKeySource keys, String issuer, Duration lifetime) {
        this.keys = keys;
        this.issuer = issuer;
        this.lifetime = lifetime;
    }

    /**
     * A signed token and the facts about it that events and responses need.
     *
     * @param tokenType {@link TokenResponse#DPOP} for a token bound to a DPoP key, else {@link TokenResponse#BEARER}
     */
    public record Issued(String token, String jti, Instant issuedAt, Instant expiresAt, String tokenType) {

        /** The token response (RFC 6749 §5.1) that hands this token out; {@code refreshToken} null when none. */
        public TokenResponse response(String refreshToken, String scope) {
            return new TokenResponse(token, tokenType, Duration.between(issuedAt, expiresAt).toSeconds(),
                    refreshToken, scope);
        }

        @Override
        public String toString() {
            return "Issued[token=[REDACTED], jti=" + jti + ", expiresAt=" + expiresAt + "]";
        }
    }

    public Issued issue(String subject, String clientId, Set<String> audience, String scope, String familyId,
                        Instant now) {
        return issue(subject, clientId, audience, scope, familyId, now, null);
    }

    /** @param jkt the DPoP key's RFC 7638 thumbprint: the token carries {@code cnf.jkt} (RFC 9449 §6.1); null: none */
    public Issued issue(String subject, String clientId, Set<String> audience, String scope, String familyId,
                        Instant now, String jkt) {
        return sign(claims(subject, clientId, audience, scope, now).claim("sid", familyId), jkt);
    }

    public Issued issueForClient(String clientId, Set<String> audience, String scope, Instant now) {
        return issueForClient(clientId, audience, scope, now, null);
    }

    /**
     * A client token (client credentials grant): {@code sub} is the client id, no {@code sid}, and the
     * {@link ClientTokens#GRANT_TYPE_CLAIM} claim says so (see {@link ClientTokens}).
     *
     * @param jkt the DPoP key's RFC 7638 thumbprint: the token carries {@code cnf.jkt} (RFC 9449 §6.1); null: none
     */
    public Issued issueForClient(String clientId, Set<String> audience, String scope, Instant now, String jkt) {
        return sign(claims(clientId, clientId, audience, scope, now)
                .claim(ClientTokens.GRANT_TYPE_CLAIM, ClientTokens.CLIENT_CREDENTIALS), jkt);
    }

    private JWTClaimsSet.Builder claims(String subject, String clientId, Set<String> audience, String scope,
                                        Instant now) {
        Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience(new ArrayList<>(audience))
                .claim("client_id", clientId)
                .claim("scope", scope)
                .issueTime(Date.from(iat))
                .expirationTime(Date.from(iat.plus(lifetime)))
                .jwtID(RandomTokens.id());
    }

    /** Signs the claims, bound by {@code cnf.jkt} to the DPoP key {@code jkt} (RFC 9449 §6.1) unless it is null. */
    private Issued sign(JWTClaimsSet.Builder builder, String jkt) {
        if (jkt != null) {
            builder.claim("cnf", java.util.Map.of("jkt", jkt));
        }
        JWTClaimsSet claims = builder.build();
        Instant iat = claims.getIssueTime().toInstant();
        Instant exp = claims.getExpirationTime().toInstant();
        String jti = claims.getJWTID();
        SigningKeys now = keys.current();
        JWSHeader header = new JWSHeader.Builder(now.algorithm()).type(AT_JWT).keyID(now.currentKeyId()).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(now.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
        return new Issued(jwt.serialize(), jti, iat, exp, TokenResponse.typeFor(jkt));
    }

    /** Whether verified claims are a client token's (see {@link ClientTokens}): the claim, no sid, sub = client_id. */
    public static boolean isClientToken(JWTClaimsSet claims) {
        Object gty = claims.getClaim(ClientTokens.GRANT_TYPE_CLAIM);
        return ClientTokens.CLIENT_CREDENTIALS.equals(gty) && claims.getClaim("sid") == null
                && claims.getSubject() != null && claims.getSubject().equals(claims.getClaim("client_id"));
    }

    /**
     * The claims of a token this service signed with one of its keys, {@code typ at+jwt}, this issuer, not
     * expired at {@code now}; empty for anything else.
     */
    public Optional<JWTClaimsSet> verify(String token, Instant now) {
        Optional<SignedJWT> parsed = parse(token);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        SignedJWT jwt = parsed.get();
        if (!AT_JWT.equals(jwt.getHeader().getType()) || !keys.current().verifies(jwt)) {
            return Optional.empty();
        }
        try {
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!issuer.equals(claims.getIssuer()) || claims.getExpirationTime() == null
                    || !claims.getExpirationTime().toInstant().isAfter(now) || claims.getJWTID() == null
                    || claims.getSubject() == null || claims.getIssueTime() == null) {
                return Optional.empty();
            }
            // Not yet valid, or "issued" in the future (it would outlive every not-before revocation).
            Instant latest = now.plus(CLOCK_SKEW);
            if (claims.getIssueTime().toInstant().isAfter(latest)
                    || claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(latest)) {
                return Optional.empty();
            }
            return Optional.of(claims);
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The syntax layer: three unpadded base64url segments ({@link CompactJws#isWellFormed}) that parse as a
     * JWS; its signature is {@link SigningKeys#verifies}'s to check. Empty for anything else.
     */
    public static Optional<SignedJWT> parse(String token) {
        if (!isCompactJws(token)) {
            return Optional.empty();
        }
        try {
            return Optional.of(SignedJWT.parse(token));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    /** Three non-empty unpadded base64url segments: see {@link CompactJws#isWellFormed}. */
    static boolean isCompactJws(String token) {
        return CompactJws.isWellFormed(token);
    }

    /** Looks like a JWT (three dot-separated parts), as opposed to an opaque refresh token. */
    public static boolean looksLikeJwt(String token) {
        return token != null && token.chars().filter(c -> c == '.').count() == 2;
    }
}
