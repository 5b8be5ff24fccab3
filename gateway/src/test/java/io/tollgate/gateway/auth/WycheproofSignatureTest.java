package io.tollgate.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.util.Base64URL;
import io.tollgate.gateway.config.TokenFactory;
import io.tollgate.testkit.Wycheproof;
import io.tollgate.testkit.Wycheproof.Vector;
import io.tollgate.testkit.WycheproofSignatureSuite;
import org.junit.jupiter.api.AfterAll;

import java.security.Key;
import java.util.HexFormat;
import java.util.List;

/**
 * Project Wycheproof's raw Ed25519, ES256 and RS256 signatures ({@link WycheproofSignatureSuite}: the vectors,
 * the expected verdicts and their two documented exceptions) through the gateway's signature layer: the group's
 * key fetched by {@link JwksKeySource}, selected by {@link JwsVerification}'s key selector for a header of that
 * algorithm with the default allow-list, verified by the verifier its factory makes, over the vector's message
 * as signing input.
 */
class WycheproofSignatureTest extends WycheproofSignatureSuite {
    private static final List<String> ALGORITHMS = new TokenFactory().algorithms;
    private static final WycheproofKeys KEYS = new WycheproofKeys(vectors());

    @AfterAll
    static void stop() {
        KEYS.close();
    }

    @Override
    protected boolean verifies(Vector v, JWSAlgorithm alg) {
        JwsVerification layer = new JwsVerification(KEYS.of(v), ALGORITHMS);
        JWSHeader header = new JWSHeader.Builder(alg).keyID(Wycheproof.publicKey(v.group()).path("kid").asText()).build();
        byte[] msg = HexFormat.of().parseHex(v.text("msg"));
        Base64URL sig = Base64URL.encode(HexFormat.of().parseHex(v.text("sig")));
        try {
            List<? extends Key> keys = layer.keySelector().selectJWSKeys(header, null);
            if (keys.size() != 1) {
                throw new AssertionError(v + ": the group's key is not selected (" + keys.size() + " keys)");
            }
            return layer.verifierFactory().createJWSVerifier(header, keys.get(0)).verify(header, msg, sig);
        } catch (KeySourceException e) {
            throw new IllegalStateException(e);
        } catch (JOSEException e) {
            return false;
        }
    }
}
