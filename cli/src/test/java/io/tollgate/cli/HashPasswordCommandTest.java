package io.tollgate.cli;

import io.tollgate.shared.crypto.PasswordHashes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tollgate hash-password} without a terminal: the first line of standard input. */
class HashPasswordCommandTest {
    private static final InputStream STDIN = System.in;

    @AfterEach
    void restoreStdin() {
        System.setIn(STDIN);
    }

    private static CliRunner.Result run(String input, String... args) {
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        return CliRunner.run(Map.of(), args);
    }

    @Test
    void thePrintedHashVerifiesThePasswordAndThePasswordIsNotPrinted() {
        String password = "correct horse battery stäple";
        CliRunner.Result result = run(password + "\nsecond line ignored\n", "hash-password", "--stdin");
        assertThat(result.code()).isEqualTo(0);
        String hash = result.out().strip();
        assertThat(hash).startsWith("pbkdf2-sha256$" + PasswordHashes.DEFAULT_ITERATIONS + "$").doesNotContain("\n");
        assertThat(PasswordHashes.verify(password, hash)).isTrue();
        assertThat(PasswordHashes.verify("correct horse battery staple", hash)).isFalse();
        assertThat(result.out() + result.err()).doesNotContain(password).doesNotContain("second line");
        // a fresh salt each time
        String again = run(password + "\n", "hash-password").out().strip();
        assertThat(again).isNotEqualTo(hash);
        assertThat(PasswordHashes.verify(password, again)).isTrue();
    }

    @Test
    void jsonOutputCarriesOnlyTheHash() throws Exception {
        CliRunner.Result result = run("ops-secret\r\n", "hash-password", "--stdin", "--json");
        assertThat(result.code()).isEqualTo(0);
        String hash = TollgateCli.mapper().readTree(result.out()).path("passwordHash").asText();
        assertThat(PasswordHashes.verify("ops-secret", hash)).isTrue();
        assertThat(result.out()).doesNotContain("ops-secret");
    }

    @Test
    void anEmptyInputIsRefusedAndPrintsNoHash() {
        for (String input : new String[] {"", "\n"}) {
            CliRunner.Result result = run(input, "hash-password", "--stdin");
            assertThat(result.code()).isEqualTo(1);
            assertThat(result.out()).isEmpty();
            assertThat(result.err()).contains("no password on standard input");
        }
    }
}
