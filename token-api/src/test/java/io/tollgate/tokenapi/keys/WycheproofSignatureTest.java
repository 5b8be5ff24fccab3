package io.tollgate.tokenapi.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import io.tollgate.testkit.Wycheproof;
import io.tollgate.testkit.Wycheproof.Result;
import io.tollgate.testkit.Wycheproof.Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Project Wycheproof's raw ES256 (IEEE P1363) and RS256 signatures through the verifier token-api builds for
 * each of its keys ({@link SigningKeys#verifier}: the key checks, then Nimbus's ECDSA or RSA verifier), with the
 * vector's public key and message. The same two documented exceptions as at the gateway (gateway/README.md,
 * "Tokens"): RS256 tcId 8 ({@code acceptable}, DigestInfo without NULL) is accepted, and the JDK refuses the
 * valid ES256 tcIds 115 and 257 (x(kG) above the group order).
 */
class WycheproofSignatureTest {
    private static final List<Vector> ES256 = Wycheproof.load(Wycheproof.ES256_P1363);
    private static final List<Vector> RS256 = Wycheproof.load(Wycheproof.RS256);
    static final Set<Integer> ES256_VALID_REFUSED_BY_JDK = Set.of(115, 257);
    static final int RS256_ACCEPTABLE_ACCEPTED = 8;

    static Stream<Vector> es256() {
        return ES256.stream();
    }

    static Stream<Vector> rs256() {
        return RS256.stream();
    }

    static boolean verifies(Vector v, JWSAlgorithm alg) {
        try {
            JWK key = JWK.parse(Wycheproof.publicKey(v.group()).toString());
            return SigningKeys.verifier(key).verify(new JWSHeader(alg), HexFormat.of().parseHex(v.text("msg")),
                    Base64URL.encode(HexFormat.of().parseHex(v.text("sig"))));
        } catch (java.text.ParseException | JOSEException e) {
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
        assertThat(RS256).hasSize(259);
        assertThat(RS256.stream().filter(v -> v.result() == Result.ACCEPTABLE)).extracting(Vector::tcId)
                .containsExactly(RS256_ACCEPTABLE_ACCEPTED);
        assertThat(ES256.stream().filter(v -> verifies(v, JWSAlgorithm.ES256))).hasSize(171)
                .allMatch(v -> v.result() == Result.VALID);
        assertThat(RS256.stream().filter(v -> verifies(v, JWSAlgorithm.RS256))).hasSize(10)
                .allMatch(v -> v.result() != Result.INVALID);
    }
}
