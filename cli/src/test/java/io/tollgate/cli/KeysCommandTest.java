package io.tollgate.cli;

import io.tollgate.shared.keys.KeySet;
import io.tollgate.shared.keys.KeySetFile;
import io.tollgate.shared.keys.KeyState;
import io.tollgate.shared.keys.ManagedKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tollgate keys} on a real file: each command's effect on the file, its refusals, and what it prints. */
class KeysCommandTest {

    @Test
    void aRotationFromInitToRetireThroughTheCommands(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.json");
        Map<String, String> env = Map.of("TOLLGATE_KEYS_FILE", file.toString());

        CliRunner.Result init = CliRunner.run(env, "keys", "init", "--alg", "ES256");
        assertThat(init.code()).as(init.err()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String first = KeySetFile.read(file).active().orElseThrow().kid();
        assertThat(init.out()).contains(first);
        assertThat(CliRunner.run(env, "keys", "init").err()).contains("exists");

        CliRunner.Result generated = CliRunner.run(env, "keys", "generate");
        assertThat(generated.code()).as(generated.err()).isZero();
        String second = generated.out().trim();
        assertThat(KeySetFile.read(file).get(second).state()).isEqualTo(KeyState.STAGED);
        assertThat(second).as("EdDSA by default").startsWith("eddsa-");

        CliRunner.Result early = CliRunner.run(env, "keys", "promote", second);
        assertThat(early.code()).isEqualTo(1);
        assertThat(early.err()).contains("is staged").contains("publish it first").doesNotContain("--force");

        assertThat(CliRunner.run(env, "keys", "publish", second).code()).isZero();
        assertThat(KeySetFile.read(file).get(second).state()).isEqualTo(KeyState.PUBLISHED);
        CliRunner.Result tooSoon = CliRunner.run(env, "keys", "promote", second);
        assertThat(tooSoon.code()).isEqualTo(1);
        assertThat(tooSoon.err()).contains("less than PT10M ago").contains("--force to do it anyway");
        assertThat(KeySetFile.read(file).active().orElseThrow().kid()).as("a refusal leaves the file").isEqualTo(first);

        CliRunner.Result promoted = CliRunner.run(env, "keys", "promote", second, "--min-published", "0s");
        assertThat(promoted.code()).as(promoted.err()).isZero();
        assertThat(promoted.out()).contains("promoted " + second).contains(first + " stopped signing");
        KeySet rotated = KeySetFile.read(file);
        assertThat(rotated.active().orElseThrow().kid()).isEqualTo(second);
        assertThat(rotated.get(first).state()).isEqualTo(KeyState.PUBLISHED);
        assertThat(rotated.get(first).deactivated()).isNotNull();

        CliRunner.Result retireActive = CliRunner.run(env, "keys", "retire", second, "--force");
        assertThat(retireActive.err()).contains("is active");
        CliRunner.Result retireEarly = CliRunner.run(env, "keys", "retire", first);
        assertThat(retireEarly.code()).isEqualTo(1);
        assertThat(retireEarly.err()).contains("tokens it signed may be valid until").contains("--force");
        CliRunner.Result retired = CliRunner.run(env, "keys", "retire", first, "--force");
        assertThat(retired.code()).as(retired.err()).isZero();
        assertThat(KeySetFile.read(file).keys()).extracting(ManagedKey::kid).containsExactly(second);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void listShowsStatesAndDatesButNoPrivateKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.json");
        assertThat(CliRunner.run(Map.of(), "keys", "--file", file.toString(), "init").code()).isZero();
        String staged = CliRunner.run(Map.of(), "keys", "generate", "--file", file.toString(), "--publish",
                "--algorithm", "RS256").out().trim();
        KeySet set = KeySetFile.read(file);
        String privateExponent = ((com.nimbusds.jose.jwk.RSAKey) set.get(staged).jwk()).getPrivateExponent().toString();
        String ed25519Private = ((com.nimbusds.jose.jwk.OctetKeyPair) set.active().orElseThrow().jwk()).getD().toString();

        CliRunner.Result list = CliRunner.run(Map.of("TOLLGATE_KEYS_FILE", file.toString()), "keys", "list");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).contains("KID", "STATE", "PUBLISHED", staged, "published", "active", "RS256", "EdDSA")
                .doesNotContain(privateExponent).doesNotContain(ed25519Private);
        CliRunner.Result json = CliRunner.run(Map.of("TOLLGATE_KEYS_FILE", file.toString()), "keys", "list", "--json");
        assertThat(json.out()).contains("\"state\":\"published\"").contains("\"kid\":\"" + staged + "\"")
                .doesNotContain(privateExponent).doesNotContain(ed25519Private).doesNotContain("\"d\"");
    }

    @Test
    void withoutAFileTheCommandsSayWhatToDo(@TempDir Path dir) {
        assertThat(CliRunner.run(Map.of(), "keys", "list").err()).contains("--file FILE or set TOLLGATE_KEYS_FILE");
        Path file = dir.resolve("absent.json");
        assertThat(CliRunner.run(Map.of(), "keys", "list", "--file", file.toString()).err())
                .contains("tollgate keys init --file " + file);
        assertThat(CliRunner.run(Map.of(), "keys", "retire", "x", "--file", file.toString(), "--token-lifetime", "5q")
                .err()).contains("not a duration: 5q");
    }
}
