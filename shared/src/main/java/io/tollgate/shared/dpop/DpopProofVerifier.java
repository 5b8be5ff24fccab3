package io.tollgate.shared.dpop;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tollgate.shared.crypto.CompactJws;
import io.tollgate.shared.crypto.ConstantTime;
import io.tollgate.shared.crypto.Hashes;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Verifies a DPoP proof (RFC 9449 §4.3) for one HTTP request, for the token endpoint and the gateway alike:
 * exactly one {@code DPoP} header; a compact JWS with {@code typ: dpop+jwt}, {@code alg} ES256 or EdDSA (Ed25519),
 * a public {@code jwk} of that algorithm's key type that verifies the signature; claims {@code jti} (at most
 * {@link #MAX_JTI_LENGTH} characters), {@code htm} equal to the method, {@code htu} equal to the request URI after
 * {@link HttpUris#normalize normalisation}, {@code iat} at most {@link #MAX_AGE} old and {@link #MAX_FUTURE} ahead,
 * and {@code ath} when an access token is presented. Replay ({@code jti} seen before) is the caller's check, with a
 * cache that keeps a {@code jti} for {@link #REPLAY_WINDOW}. Server nonces are not issued.
 */
public final class DpopProofVerifier {
    /** The algorithms accepted, as advertised in {@code dpop_signing_alg_values_supported}. */
    public static final List<String> ALGORITHMS = List.of("ES256", "EdDSA");
    /** How old a proof's {@code iat} may be. */
    public static final Duration MAX_AGE = Duration.ofSeconds(60);
    /** How far ahead of this server's clock a proof's {@code iat} may be (the client's clock skew). */
    public static final Duration MAX_FUTURE = Duration.ofSeconds(5);
    /** How long a replay cache must remember a {@code jti}: as long as a proof with it can pass the iat check. */
    public static final Duration REPLAY_WINDOW = MAX_AGE.plus(MAX_FUTURE);
    public static final int MAX_JTI_LENGTH = 256;
    /** A larger header is refused before parsing. */
    public static final int MAX_PROOF_LENGTH = 8192;
    private static final String TYPE = "dpop+jwt";

    private final Clock clock;

    public DpopProofVerifier(Clock clock) {
        this.clock = clock;
    }

    public DpopProofVerifier() {
        this(Clock.systemUTC());
    }

    /** A verified proof or the reason it was refused. */
    public record Result(DpopProof proof, DpopFailure failure) {
        public boolean ok() {
            return proof != null;
        }

        static Result fail(DpopFailure failure) {
            return new Result(null, failure);
        }
    }

    /**
     * @param headerValues every {@code DPoP} header value of the request (none: {@link DpopFailure#MISSING})
     * @param method       the request method, compared exactly with {@code htm}
     * @param requestUri   the request's absolute URI as this server's clients address it; query and fragment ignored
     * @param accessToken  the access token presented with the proof, or null at the token endpoint ({@code ath} is
     *                     then not checked)
     * @param expectedJkt  the thumbprint the proof's key must have ({@code cnf.jkt}), or null
     */
    public Result verify(List<String> headerValues, String method, String requestUri, String accessToken,
                         String expectedJkt) {
        if (headerValues == null || headerValues.isEmpty()) {
            return Result.fail(DpopFailure.MISSING);
        }
        if (headerValues.size() > 1) {
            return Result.fail(DpopFailure.MULTIPLE);
        }
        String value = headerValues.get(0).trim();
        if (value.length() > MAX_PROOF_LENGTH || !CompactJws.isWellFormed(value)) {
            return Result.fail(DpopFailure.MALFORMED);
        }
        Map<String, Object> header;
        try {
            header = JSONObjectUtils.parse(new Base64URL(value.substring(0, value.indexOf('.'))).decodeToString());
        } catch (ParseException | RuntimeException e) {
            return Result.fail(DpopFailure.MALFORMED);
        }
        if (!(header.get("typ") instanceof String typ) || !typ.equalsIgnoreCase(TYPE)) {
            return Result.fail(DpopFailure.TYPE);
        }
        if (!(header.get("alg") instanceof String algName) || !ALGORITHMS.contains(algName)) {
            return Result.fail(DpopFailure.ALGORITHM);
        }
        JWSAlgorithm alg = JWSAlgorithm.parse(algName);
        DpopFailure keyFailure = ProofKeys.check(header.get("jwk"), alg);
        if (keyFailure != null) {
            return Result.fail(keyFailure);
        }
        SignedJWT proof;
        JWK key;
        JWTClaimsSet claims;
        try {
            proof = SignedJWT.parse(value);
            key = proof.getHeader().getJWK();
            claims = proof.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            return Result.fail(DpopFailure.MALFORMED);
        }
        if (key == null || key.isPrivate()) {
            return Result.fail(key == null ? DpopFailure.NO_KEY : DpopFailure.PRIVATE_KEY);
        }
        if (!ProofKeys.verifies(proof, key)) {
            return Result.fail(DpopFailure.SIGNATURE);
        }
        if (!(claims.getClaim("jti") instanceof String jti) || jti.isEmpty()) {
            return Result.fail(DpopFailure.MISSING_JTI);
        }
        if (jti.length() > MAX_JTI_LENGTH) {
            return Result.fail(DpopFailure.JTI_TOO_LONG);
        }
        if (!(claims.getClaim("htm") instanceof String htm) || !htm.equals(method)) {
            return Result.fail(DpopFailure.METHOD);
        }
        String expectedUri = HttpUris.normalize(requestUri);
        if (!(claims.getClaim("htu") instanceof String htu) || expectedUri == null
                || !expectedUri.equals(HttpUris.normalize(htu))) {
            return Result.fail(DpopFailure.URI);
        }
        Date iat = claims.getIssueTime();
        if (iat == null) {
            return Result.fail(DpopFailure.MISSING_IAT);
        }
        long now = clock.millis();
        long issued = iat.getTime();
        if (issued < now - MAX_AGE.toMillis()) {
            return Result.fail(DpopFailure.TOO_OLD);
        }
        if (issued > now + MAX_FUTURE.toMillis()) {
            return Result.fail(DpopFailure.IN_FUTURE);
        }
        if (accessToken != null) {
            if (!(claims.getClaim("ath") instanceof String ath)) {
                return Result.fail(DpopFailure.MISSING_ATH);
            }
            if (!ConstantTime.equals(ath, Hashes.sha256(accessToken))) {
                return Result.fail(DpopFailure.WRONG_ATH);
            }
        }
        String jkt = ProofKeys.thumbprint(key);
        if (expectedJkt != null && !ConstantTime.equals(jkt, expectedJkt)) {
            return Result.fail(DpopFailure.KEY_MISMATCH);
        }
        return new Result(new DpopProof(jkt, jti, issued / 1000), null);
    }
}
