package io.tollgate.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import io.tollgate.gateway.config.TokenFactory;
import io.tollgate.testkit.Wycheproof;
import io.tollgate.testkit.Wycheproof.Result;
import io.tollgate.testkit.Wycheproof.Vector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.Key;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Project Wycheproof's raw ES256 (IEEE P1363, the JWS encoding) and RS256 signatures through the gateway's
 * signature layer: the group's key fetched by {@link JwksKeySource}, selected by {@link JwsVerification}'s key
 * selector for a header of that algorithm, verified by the verifier its factory makes, over the vector's
 * message as signing input. Two outcomes differ from "valid accepted, invalid refused", both documented in
 * gateway/README.md ("Tokens"): the one {@code acceptable} RS256 vector (tcId 8, a DigestInfo without its NULL)
 * is accepted, and the JDK's ECDSA refuses two valid ES256 vectors whose x(kG) exceeds the group order.
 */
class WycheproofSignatureTest {
    private static final List<Vector> ES256 = Wycheproof.load(Wycheproof.ES256_P1363);
    private static final List<Vector> RS256 = Wycheproof.load(Wycheproof.RS256);
    private static final List<String> ALGORITHMS = new TokenFactory().algorithms;
    private static final WycheproofKeys KEYS = new WycheproofKeys(Stream.concat(ES256.stream(), RS256.stream()).toList());

    /**
     * Valid ES256 signatures whose point kG has an x-coordinate above the group order n (r = x - n), which the
     * JDK 17 ECDSA (SunEC) refuses: an honest signature is such with probability about 2^-128, and refusing
     * fails closed.
     */
    static final Set<Integer> ES256_VALID_REFUSED_BY_JDK = Set.of(115, 257);

    /**
     * RS256 tcId 8: a PKCS #1 v1.5 DigestInfo without the NULL parameters, {@code acceptable} ("legacy";
     * accepting it is not a vulnerability). The JDK accepts it: it compares the decoded block with the two
     * encodings it builds itself from the hash, with and without the NULL, and parses nothing.
     */
    static final int RS256_ACCEPTABLE_ACCEPTED = 8;

    @AfterAll
    static void stop() {
        KEYS.close();
    }

    static Stream<Vector> es256() {
        return ES256.stream();
    }

    static Stream<Vector> rs256() {
        return RS256.stream();
    }

    static boolean verifies(Vector v, JWSAlgorithm alg) {
        JwsVerification layer = new JwsVerification(KEYS.of(v), ALGORITHMS);
        JWSHeader header = new JWSHeader.Builder(alg).keyID(Wycheproof.publicKey(v.group()).path("kid").asText()).build();
        byte[] msg = HexFormat.of().parseHex(v.text("msg"));
        Base64URL sig = Base64URL.encode(HexFormat.of().parseHex(v.text("sig")));
        try {
            List<? extends Key> keys = layer.keySelector().selectJWSKeys(header, null);
            assertThat(keys).as("the group's key is selected").hasSize(1);
            for (Key key : keys) {
                if (layer.verifierFactory().createJWSVerifier(header, key).verify(header, msg, sig)) {
                    return true;
                }
            }
            return false;
        } catch (com.nimbusds.jose.KeySourceException e) {
            throw new IllegalStateException(e);
        } catch (com.nimbusds.jose.JOSEException e) {
            return false;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("es256")
    void es256Vector(Vector v) {
        boolean expected = v.result() == Result.VALID && !ES256_VALID_REFUSED_BY_JDK.contains(v.tcId());
        assertThat(verifies(v, JWSAlgorithm.ES256)).as(v.toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rs256")
    void rs256Vector(Vector v) {
        boolean expected = v.result() == Result.VALID || v.tcId() == RS256_ACCEPTABLE_ACCEPTED;
        assertThat(verifies(v, JWSAlgorithm.RS256)).as(v.toString()).isEqualTo(expected);
    }

    @Test
    void everyVectorOfBothFilesRunsAndTheCountsAreKnown() {
        assertThat(ES256).hasSize(262);
        assertThat(ES256.stream().filter(v -> v.result() == Result.VALID)).hasSize(173);
        assertThat(ES256.stream().filter(v -> v.result() == Result.INVALID)).hasSize(89);
        assertThat(RS256).hasSize(259);
        assertThat(RS256.stream().filter(v -> v.result() == Result.VALID)).hasSize(9);
        assertThat(RS256.stream().filter(v -> v.result() == Result.INVALID)).hasSize(249);
        assertThat(RS256.stream().filter(v -> v.result() == Result.ACCEPTABLE)).singleElement()
                .satisfies(v -> assertThat(v.flags()).containsExactly("MissingNull"))
                .satisfies(v -> assertThat(v.tcId()).isEqualTo(RS256_ACCEPTABLE_ACCEPTED));
        assertThat(ES256.stream().filter(v -> verifies(v, JWSAlgorithm.ES256))).hasSize(171)
                .allMatch(v -> v.result() == Result.VALID);
        assertThat(RS256.stream().filter(v -> verifies(v, JWSAlgorithm.RS256))).hasSize(10)
                .allMatch(v -> v.result() != Result.INVALID);
    }
}
