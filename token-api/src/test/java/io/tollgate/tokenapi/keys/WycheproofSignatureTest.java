package io.tollgate.tokenapi.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import io.tollgate.testkit.Wycheproof;
import io.tollgate.testkit.Wycheproof.Vector;
import io.tollgate.testkit.WycheproofSignatureSuite;

import java.text.ParseException;
import java.util.HexFormat;

/**
 * Project Wycheproof's raw Ed25519, ES256 and RS256 signatures ({@link WycheproofSignatureSuite}: the vectors,
 * the expected verdicts and their two documented exceptions) through the verifier token-api builds for each of
 * its keys ({@link SigningKeys#verifier}: the key checks, then Nimbus's Ed25519, ECDSA or RSA verifier), with
 * the vector's public key and message.
 */
class WycheproofSignatureTest extends WycheproofSignatureSuite {

    @Override
    protected boolean verifies(Vector v, JWSAlgorithm alg) {
        try {
            JWK key = JWK.parse(Wycheproof.publicKey(v.group()).toString());
            return SigningKeys.verifier(key).verify(new JWSHeader(alg), HexFormat.of().parseHex(v.text("msg")),
                    Base64URL.encode(HexFormat.of().parseHex(v.text("sig"))));
        } catch (ParseException | JOSEException e) {
            return false;
        }
    }
}
