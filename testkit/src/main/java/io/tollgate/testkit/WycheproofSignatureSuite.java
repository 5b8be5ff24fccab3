package io.tollgate.testkit;

import com.nimbusds.jose.JWSAlgorithm;
import io.tollgate.testkit.Wycheproof.Result;
import io.tollgate.testkit.Wycheproof.Vector;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Project Wycheproof's raw signature files for the three algorithms Tollgate signs with, EdDSA (Ed25519), ES256
 * (IEEE P1363, the JWS encoding) and RS256, run against one verification path: a module's test extends this
 * class and says, in {@link #verifies}, whether its path accepts a vector's signature over the vector's message
 * with the group's public key. Every vector is one test; the expected verdict is "valid accepted, invalid
 * refused", with one documented exception (gateway/README.md, "Tokens"): the one {@code acceptable} RS256
 * vector (tcId 8, a DigestInfo without its NULL) is accepted. The Ed25519 and ES256 files have none: Bouncy
 * Castle ({@code Ed25519JwsVerifier}, {@code Es256JwsVerifier}) refuses every invalid vector (for Ed25519 a
 * non-canonical S, the small-order and malleable cases) and accepts every valid one, including the two ES256
 * signatures whose x(kG) exceeds the group order (tcIds 115 and 257), which the JDK's ECDSA refuses.
 */
public abstract class WycheproofSignatureSuite {
    private static final List<Vector> ED25519 = Wycheproof.load(Wycheproof.ED25519);
    private static final List<Vector> ES256 = Wycheproof.load(Wycheproof.ES256_P1363);
    private static final List<Vector> RS256 = Wycheproof.load(Wycheproof.RS256);

    /**
     * RS256 tcId 8: a PKCS #1 v1.5 DigestInfo without the NULL parameters, {@code acceptable} ("legacy";
     * accepting it is not a vulnerability). The JDK accepts it: it compares the decoded block with the two
     * encodings it builds itself from the hash, with and without the NULL, and parses nothing.
     */
    public static final int RS256_ACCEPTABLE_ACCEPTED = 8;

    /** Every vector of the three files, for a path that loads the groups' keys up front. */
    public static List<Vector> vectors() {
        return Stream.of(ED25519, ES256, RS256).flatMap(List::stream).toList();
    }

    /**
     * Whether the verification path under test accepts {@code v}'s signature ({@code sig}, hex) over its message
     * ({@code msg}, hex), with the group's public key ({@link Wycheproof#publicKey}), for a header of {@code alg}.
     */
    protected abstract boolean verifies(Vector v, JWSAlgorithm alg);

    /** The expected verdict: see the class comment. */
    static boolean expected(Vector v) {
        return switch (v.file()) {
            case Wycheproof.RS256 -> v.result() == Result.VALID || v.tcId() == RS256_ACCEPTABLE_ACCEPTED;
            default -> v.result() == Result.VALID;
        };
    }

    private Stream<DynamicTest> run(List<Vector> vectors, JWSAlgorithm alg) {
        return vectors.stream().map(v -> DynamicTest.dynamicTest(v.toString(),
                () -> assertEquals(expected(v), verifies(v, alg), v.toString())));
    }

    @TestFactory
    Stream<DynamicTest> ed25519() {
        return run(ED25519, JWSAlgorithm.EdDSA);
    }

    @TestFactory
    Stream<DynamicTest> es256() {
        return run(ES256, JWSAlgorithm.ES256);
    }

    @TestFactory
    Stream<DynamicTest> rs256() {
        return run(RS256, JWSAlgorithm.RS256);
    }

    private long accepted(List<Vector> vectors, JWSAlgorithm alg, Result excluded) {
        return vectors.stream().filter(v -> verifies(v, alg)).peek(v -> assertEquals(false, v.result() == excluded,
                v + " is accepted")).count();
    }

    @Test
    void everyVectorOfTheThreeFilesRunsAndTheCountsAreKnown() {
        assertEquals(151, ED25519.size());
        assertEquals(88, ED25519.stream().filter(v -> v.result() == Result.VALID).count());
        assertEquals(88, accepted(ED25519, JWSAlgorithm.EdDSA, Result.INVALID));
        assertEquals(262, ES256.size());
        assertEquals(173, ES256.stream().filter(v -> v.result() == Result.VALID).count());
        assertEquals(89, ES256.stream().filter(v -> v.result() == Result.INVALID).count());
        assertEquals(173, accepted(ES256, JWSAlgorithm.ES256, Result.INVALID));
        assertEquals(259, RS256.size());
        assertEquals(9, RS256.stream().filter(v -> v.result() == Result.VALID).count());
        assertEquals(249, RS256.stream().filter(v -> v.result() == Result.INVALID).count());
        assertEquals(List.of(RS256_ACCEPTABLE_ACCEPTED), RS256.stream().filter(v -> v.result() == Result.ACCEPTABLE)
                .peek(v -> assertEquals(List.of("MissingNull"), v.flags())).map(Vector::tcId).toList());
        assertEquals(10, accepted(RS256, JWSAlgorithm.RS256, Result.INVALID));
    }
}
