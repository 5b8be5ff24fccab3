package io.tollgate.shared.crypto;

import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.Curve;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SignatureKeyPolicyTest {

    @Test
    void keysForSignaturesAreFitAndKeysForEncryptionAreNot() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("k").keyUse(KeyUse.SIGNATURE).generate();
        assertThat(SignatureKeyPolicy.unfit(rsa)).isEmpty();
        assertThat(SignatureKeyPolicy.unfit(rsa.toPublicJWK())).isEmpty();
        assertThat(SignatureKeyPolicy.unfit(new ECKeyGenerator(Curve.P_256).keyOperations(Set.of(KeyOperation.VERIFY))
                .generate())).isEmpty();
        assertThat(SignatureKeyPolicy.unfit(new RSAKey.Builder(rsa.toPublicJWK()).keyUse(null)
                .keyOperations(Set.of(KeyOperation.ENCRYPT)).build())).contains("key_ops allow neither sign nor verify");
        assertThat(SignatureKeyPolicy.unfit(new RSAKey.Builder(rsa.toPublicJWK()).keyUse(KeyUse.ENCRYPTION).build()))
                .contains("use is enc, not sig");
    }

    @Test
    void onlyEd25519OctetKeyPairsAreFit() throws Exception {
        assertThat(SignatureKeyPolicy.unfit(new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed").generate()
                .toPublicJWK())).isEmpty();
        assertThat(SignatureKeyPolicy.unfit(new OctetKeyPairGenerator(Curve.X25519).keyID("x").generate()
                .toPublicJWK())).contains("an OKP key of curve X25519: only Ed25519 keys verify signatures");
    }

    @Test
    void theRocaFingerprintIsThatOfTheSubgroupOf65537() throws Exception {
        // a product of two primes of the form k * M + (65537^a mod M), M the primorial of the fingerprint
        // primes, as Infineon's generator made them; the ROCA paper's construction, small for a test
        BigInteger m = BigInteger.ONE;
        for (int p : new int[] {3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89,
            97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167}) {
            m = m.multiply(BigInteger.valueOf(p));
        }
        BigInteger g = BigInteger.valueOf(65537);
        BigInteger p = BigInteger.valueOf(7).multiply(m).add(g.modPow(BigInteger.valueOf(1234), m));
        BigInteger q = BigInteger.valueOf(11).multiply(m).add(g.modPow(BigInteger.valueOf(98765), m));
        assertThat(SignatureKeyPolicy.hasRocaFingerprint(p.multiply(q))).isTrue();
        assertThat(SignatureKeyPolicy.hasRocaFingerprint(p.multiply(q).add(BigInteger.TWO))).isFalse();
        // a key from the JDK's generator does not have it (false positive rate far below 2^-100)
        for (int i = 0; i < 5; i++) {
            assertThat(SignatureKeyPolicy.hasRocaFingerprint(new RSAKeyGenerator(2048).generate().getModulus()
                    .decodeToBigInteger())).isFalse();
        }
    }
}
