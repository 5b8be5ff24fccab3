package io.tollgate.gateway.testing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tollgate.shared.crypto.Hashes;

import java.util.Date;
import java.util.Map;
import java.util.UUID;

/** A client's DPoP key (P-256): the {@code cnf.jkt} it binds tokens to, and RFC 9449 proofs signed with it. */
public final class DpopKeys {
    private final ECKey key;

    public DpopKeys() {
        try {
            key = new ECKeyGenerator(Curve.P_256).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key read back from {@link #privateJson()}. */
    public DpopKeys(String privateJwkJson) {
        try {
            key = ECKey.parse(privateJwkJson);
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException("not an EC JWK", e);
        }
    }

    /** The private JWK as JSON, for a harness that hands the key to a separate proof generator. */
    public String privateJson() {
        return key.toJSONString();
    }

    public String jkt() {
        try {
            return key.computeThumbprint().toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token from {@code issuer} for {@code user}, bound to this key. */
    public String boundToken(TestIssuer issuer, String user, String scope) {
        return issuer.sign(TestIssuer.claims(user, scope).claim("cnf", Map.of("jkt", jkt())).build());
    }

    /** A fresh proof for {@code method} {@code htu} presenting {@code accessToken}. */
    public String proof(String method, String htu, String accessToken) {
        return proof(method, htu, accessToken, System.currentTimeMillis() / 1000);
    }

    public String proof(String method, String htu, String accessToken, long iatSeconds) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
                .claim("htm", method).claim("htu", htu).issueTime(new Date(iatSeconds * 1000));
        if (accessToken != null) {
            claims.claim("ath", Hashes.sha256(accessToken));
        }
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
                    .type(new JOSEObjectType("dpop+jwt")).jwk(key.toPublicJWK()).build(), claims.build());
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
