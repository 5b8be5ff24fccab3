package io.tollgate.shared.dpop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Builds DPoP proofs by hand, so a test can get every header and claim wrong on purpose. */
final class Proofs {
    final JWK key;
    final JWSAlgorithm alg;
    final Map<String, Object> header = new LinkedHashMap<>();
    final Map<String, Object> claims = new LinkedHashMap<>();

    private Proofs(JWK key, JWSAlgorithm alg) {
        this.key = key;
        this.alg = alg;
        header.put("typ", "dpop+jwt");
        header.put("alg", alg.getName());
        header.put("jwk", key.toPublicJWK().toJSONObject());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("htm", "GET");
        claims.put("htu", "https://api.example.com/mobile/profile");
        claims.put("iat", System.currentTimeMillis() / 1000);
    }

    static Proofs es256() {
        try {
            return new Proofs(new ECKeyGenerator(Curve.P_256).generate(), JWSAlgorithm.ES256);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static Proofs ed25519() {
        try {
            return new Proofs(new OctetKeyPairGenerator(Curve.Ed25519).generate(), JWSAlgorithm.EdDSA);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    Proofs header(String name, Object value) {
        if (value == null) {
            header.remove(name);
        } else {
            header.put(name, value);
        }
        return this;
    }

    Proofs claim(String name, Object value) {
        if (value == null) {
            claims.remove(name);
        } else {
            claims.put(name, value);
        }
        return this;
    }

    String jkt() {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The compact JWS, signed with this key whatever the header says. */
    String sign() {
        return sign(key);
    }

    String sign(JWK with) {
        String input = b64(JSONObjectUtils.toJSONString(header)) + "." + b64(JSONObjectUtils.toJSONString(claims));
        try {
            JWSSigner signer = with instanceof ECKey ec ? new ECDSASigner(ec) : new Ed25519Signer((OctetKeyPair) with);
            JWSAlgorithm signAlg = with instanceof ECKey ? JWSAlgorithm.ES256 : JWSAlgorithm.EdDSA;
            return input + "." + signer.sign(new JWSHeader(signAlg), input.getBytes(StandardCharsets.US_ASCII));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
