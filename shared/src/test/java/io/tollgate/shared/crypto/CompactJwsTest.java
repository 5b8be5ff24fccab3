package io.tollgate.shared.crypto;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CompactJwsTest {

    @Test
    void aSignatureRespelledInItsUnusedBitsIsNotTheToken() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload("{\"sub\":\"alice\"}"));
        jws.sign(new ECDSASigner(key));
        String token = jws.serialize();
        assertThat(CompactJws.isWellFormed(token)).isTrue();
        // 64 signature bytes are 86 characters: the last one carries 4 unused bits. Setting one gives another
        // string that Nimbus decodes to the same signature (Wycheproof: ModifiedUnusedBitsInPayload).
        String respelled = token.substring(0, token.length() - 1) + (char) (token.charAt(token.length() - 1) + 1);
        assertThat(JWSObject.parse(respelled).verify(new ECDSAVerifier(key.toPublicJWK()))).isTrue();
        assertThat(CompactJws.isWellFormed(respelled)).isFalse();
    }

    @Test
    void everySegmentEndsCanonically() {
        assertThat(CompactJws.isWellFormed("eyJh.eyJz.c2ln")).isTrue();
        assertThat(CompactJws.isWellFormed("eyJh.eyJz.c2k")).isTrue(); // 'k' = 36: low 2 bits clear
        assertThat(CompactJws.isWellFormed("eyJh.eyJz.QQ")).isTrue(); // 'Q' = 16: low 4 bits clear
        for (String bad : new String[] {"eyJh.eyJz.c2l", "eyJh.eyJz.QR", "eyJh.eyJz.c2lnQ", "eyJhQ.eyJz.c2ln",
            "eyJh.eyJ.c2ln", "eyJh.eyJz.c2ln==", "eyJh..c2ln", "eyJh.eyJz.", "eyJh.eyJz", ""}) {
            assertThat(CompactJws.isWellFormed(bad)).as(bad).isFalse();
        }
    }

    @Test
    void aSegmentIsTheBase64urlAlphabetAndNothingElse() {
        List<String> wrong = new ArrayList<>();
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            String segment = "AAA" + c; // four characters: the last one carries no unused bits
            if (CompactJws.isWellFormed("eyJh.eyJz." + segment) != (c != '=' && decodesAsBase64url(segment))) {
                wrong.add(String.format("U+%04X", (int) c));
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static boolean decodesAsBase64url(String s) {
        try {
            Base64.getUrlDecoder().decode(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
