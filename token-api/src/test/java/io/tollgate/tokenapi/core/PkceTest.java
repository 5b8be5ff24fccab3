package io.tollgate.tokenapi.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PkceTest {
    /** Computed apart: {@code printf %s VERIFIER | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d =}. */
    static final String VERIFIER = "dBjftJeZ4CVP-mJ92K6Kvkwuq-VNKRrpdpSvK8GVyzEB";
    static final String CHALLENGE = "mT69NLw0Jz4ZdsvtSCFH_uNKEqg5qhGQlwWJD5u9kC0";

    @Test
    void s256ChallengeIsTheBase64UrlSha256OfTheVerifier() {
        assertThat(Pkce.challenge(VERIFIER)).isEqualTo(CHALLENGE);
        assertThat(Pkce.verifies(VERIFIER, CHALLENGE)).isTrue();
        assertThat(Pkce.isChallenge(CHALLENGE)).isTrue();
    }

    @Test
    void aWrongVerifierOrAPlainChallengeDoesNotVerify() {
        assertThat(Pkce.verifies(VERIFIER.substring(1) + "A", CHALLENGE)).isFalse();
        // "plain": the challenge is the verifier itself
        assertThat(Pkce.verifies(VERIFIER, VERIFIER)).isFalse();
        assertThat(Pkce.verifies(VERIFIER, null)).isFalse();
    }

    @Test
    void verifiersAre43To128CharactersOfTheUnreservedAlphabet() {
        assertThat(Pkce.isVerifier("a".repeat(43))).isTrue();
        assertThat(Pkce.isVerifier("A-._~9".repeat(21) + "xy")).isTrue();
        assertThat(Pkce.isVerifier("a".repeat(128))).isTrue();
        assertThat(Pkce.isVerifier("a".repeat(42))).isFalse();
        assertThat(Pkce.isVerifier("a".repeat(129))).isFalse();
        assertThat(Pkce.isVerifier("a".repeat(42) + "+")).isFalse();
        assertThat(Pkce.isVerifier("a".repeat(42) + "=")).isFalse();
        assertThat(Pkce.isVerifier("a".repeat(42) + "é")).isFalse();
        assertThat(Pkce.isVerifier(null)).isFalse();
        // a well-formed verifier of the wrong form never verifies, whatever the challenge
        assertThat(Pkce.verifies("short", Pkce.challenge("short"))).isFalse();
    }

    @Test
    void challengesAre43Base64UrlCharacters() {
        assertThat(Pkce.isChallenge(CHALLENGE + "=")).isFalse();
        assertThat(Pkce.isChallenge(CHALLENGE.substring(1))).isFalse();
        assertThat(Pkce.isChallenge(CHALLENGE.replace('_', '/'))).isFalse();
    }
}
