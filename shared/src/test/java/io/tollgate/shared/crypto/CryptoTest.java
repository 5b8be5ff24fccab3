package io.tollgate.shared.crypto;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CryptoTest {

    @Test
    void passwordHashesVerifyOnlyTheRightPassword() {
        String hash = PasswordHashes.hash("ops-secret", 1_000);
        assertThat(hash).startsWith("pbkdf2-sha256$1000$").doesNotContain("ops-secret");
        assertThat(PasswordHashes.verify("ops-secret", hash)).isTrue();
        assertThat(PasswordHashes.verify("ops-secreT", hash)).isFalse();
        assertThat(PasswordHashes.verify("ops-secret", "pbkdf2-sha256$x$y$z")).isFalse();
        assertThat(PasswordHashes.verify("ops-secret", null)).isFalse();
    }

    @Test
    void secretsNeverPrint() {
        Secret secret = Secret.of("hunter2");
        assertThat(secret.toString()).isEqualTo("[REDACTED]");
        assertThat(String.valueOf(secret)).doesNotContain("hunter2");
        assertThat(secret.matches("hunter2")).isTrue();
        assertThat(secret.matches("hunter3")).isFalse();
        assertThat(secret.matches(null)).isFalse();
    }

    @Test
    void refreshTokensAre256RandomBits() {
        String a = RandomTokens.generate(256);
        assertThat(a).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(RandomTokens.generate(256)).isNotEqualTo(a);
        assertThat(Hashes.sha256(a)).hasSize(43).isNotEqualTo(a);
        assertThat(Hashes.sha256("abc")).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    }
}
