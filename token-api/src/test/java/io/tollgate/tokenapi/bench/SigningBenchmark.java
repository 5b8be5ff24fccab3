package io.tollgate.tokenapi.bench;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tollgate.shared.keys.Ed25519JwsSigner;
import io.tollgate.shared.keys.SigningAlgorithm;

import java.util.Date;
import java.util.List;

/**
 * Micro-measurement behind the signing-algorithm choice (see README.md): signs and verifies an access
 * token shaped like token-api's with Nimbus on this JVM, single-threaded, after a warm-up, for ES256
 * (P-256), EdDSA (Ed25519) and RS256 (2048-bit), each signed by token-api's signer and verified by
 * {@link SigningAlgorithm#verifier}, the verifier token-api and the gateway use; and two references, Nimbus's own
 * ES256 verifier through the JDK ({@code ES256/JDK}) and Nimbus's own Ed25519 signer and verifier through Tink
 * ({@code EdDSA/Tink}). Not run by the build; run with
 * {@code java -Xmx256m -cp <test classpath> io.tollgate.tokenapi.bench.SigningBenchmark [seconds]}.
 */
public final class SigningBenchmark {

    private record Case(String name, JWSAlgorithm alg, JWSSigner signer, JWSVerifier verifier) {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec").generate();
        OctetKeyPair ed = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed").generate();
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa").generate();
        List<Case> cases = List.of(
                new Case("ES256", JWSAlgorithm.ES256, new ECDSASigner(ec), SigningAlgorithm.ES256.verifier(ec)),
                new Case("ES256/JDK", JWSAlgorithm.ES256, new ECDSASigner(ec), new ECDSAVerifier(ec.toPublicJWK())),
                new Case("EdDSA", JWSAlgorithm.EdDSA, new Ed25519JwsSigner(ed), SigningAlgorithm.EdDSA.verifier(ed)),
                new Case("EdDSA/Tink", JWSAlgorithm.EdDSA, new Ed25519Signer(ed),
                        new Ed25519Verifier(ed.toPublicJWK())),
                new Case("RS256", JWSAlgorithm.RS256, new RSASSASigner(rsa), SigningAlgorithm.RS256.verifier(rsa)));
        System.out.printf("java %s, %s, %d cores%n", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors());
        System.out.printf("%-10s %12s %12s %8s%n", "alg", "sign ops/s", "verify ops/s", "bytes");
        for (Case c : cases) {
            measure(c, 0.5); // warm-up
        }
        for (Case c : cases) {
            double[] r = measure(c, seconds);
            System.out.printf("%-10s %12.0f %12.0f %8.0f%n", c.name(), r[0], r[1], r[2]);
        }
    }

    private static double[] measure(Case c, double seconds) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("http://127.0.0.1:8080").subject("alice")
                .audience(List.of("mobile")).claim("client_id", "demo-mobile").claim("scope", "read")
                .issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 300_000))
                .jwtID("Xq3v9XnGQ2m1bqkYkS0V0A").claim("sid", "f1a9Jr0W0dQ2xg3b6Kp4hQ").build();
        JWSHeader header = new JWSHeader.Builder(c.alg()).type(new JOSEObjectType("at+jwt")).keyID("k1").build();
        long budget = (long) (seconds * 1e9);
        long start = System.nanoTime();
        long n = 0;
        String last = null;
        while (System.nanoTime() - start < budget) {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(c.signer());
            last = jwt.serialize();
            n++;
        }
        double signRate = n / ((System.nanoTime() - start) / 1e9);
        start = System.nanoTime();
        n = 0;
        while (System.nanoTime() - start < budget) {
            if (!SignedJWT.parse(last).verify(c.verifier())) {
                throw new IllegalStateException("verification failed for " + c.name());
            }
            n++;
        }
        double verifyRate = n / ((System.nanoTime() - start) / 1e9);
        return new double[] {signRate, verifyRate, last.length()};
    }
}
