package io.tollgate.tokenapi.core;

import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.crypto.RandomTokens;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class RetrySealTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final RetrySeal.Pair PAIR = new RetrySeal.Pair("eyJ.access.token", "Bearer", 1_800_000_300L,
            "successor-refresh-token", "read");

    @Test
    void hkdfMatchesRfc5869TestCase1() throws Exception {
        byte[] okm = RetrySeal.hkdfSha256(HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
                HEX.parseHex("000102030405060708090a0b0c"), HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
        assertThat(HEX.formatHex(okm)).isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf3400"
                + "7208d5b887185865");
    }

    @Test
    void hkdfMatchesRfc5869TestCase3WithoutSaltOrInfo() throws Exception {
        byte[] okm = RetrySeal.hkdfSha256(HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), new byte[0],
                new byte[0], 42);
        assertThat(HEX.formatHex(okm)).isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d20"
                + "1395faa4b61a96c8");
    }

    @Test
    void theTokenThatSealedThePairOpensIt() {
        String token = RandomTokens.generate(256);
        String sealed = RetrySeal.seal(token, Hashes.sha256(token), PAIR);

        assertThat(RetrySeal.open(token, Hashes.sha256(token), sealed)).contains(PAIR);
        assertThat(sealed).doesNotContain("successor-refresh-token").doesNotContain("access");
        assertThat(RetrySeal.seal(token, Hashes.sha256(token), PAIR)).as("a fresh nonce each time").isNotEqualTo(sealed);
    }

    @Test
    void anotherTokenOrAnotherSlotDoesNotOpenIt() {
        String token = RandomTokens.generate(256);
        String other = RandomTokens.generate(256);
        String sealed = RetrySeal.seal(token, Hashes.sha256(token), PAIR);

        assertThat(RetrySeal.open(other, Hashes.sha256(token), sealed)).isEmpty();
        assertThat(RetrySeal.open(token, Hashes.sha256(other), sealed)).as("the hash is associated data").isEmpty();
    }

    @Test
    void aTamperedOrMalformedSealDoesNotOpen() {
        String token = RandomTokens.generate(256);
        String hash = Hashes.sha256(token);
        byte[] bytes = Base64.getUrlDecoder().decode(RetrySeal.seal(token, hash, PAIR));
        bytes[bytes.length / 2] ^= 1;

        assertThat(RetrySeal.open(token, hash, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))).isEmpty();
        assertThat(RetrySeal.open(token, hash, "not base64!")).isEmpty();
        assertThat(RetrySeal.open(token, hash, "AAAA")).isEmpty();
        assertThat(RetrySeal.open(token, hash, "")).isEmpty();
    }

    @Test
    void aRetryAnswersWhatIsLeftOfTheAccessToken() {
        var response = PAIR.response(Instant.ofEpochSecond(1_800_000_100L));

        assertThat(response.accessToken()).isEqualTo("eyJ.access.token");
        assertThat(response.refreshToken()).isEqualTo("successor-refresh-token");
        assertThat(response.expiresIn()).isEqualTo(200);
        assertThat(PAIR.response(Instant.ofEpochSecond(1_800_000_400L)).expiresIn()).isZero();
        assertThat(PAIR.toString()).doesNotContain("successor-refresh-token").doesNotContain("eyJ");
    }
}
