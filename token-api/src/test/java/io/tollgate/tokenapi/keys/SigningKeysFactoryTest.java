package io.tollgate.tokenapi.keys;

import io.tollgate.shared.keys.KeySet;
import io.tollgate.shared.keys.KeySetFile;
import io.tollgate.shared.keys.SigningAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningKeysFactoryTest {

    private static SigningKeysFactory factory(Path file) {
        SigningKeysFactory factory = new SigningKeysFactory();
        factory.file = file.toString();
        return factory;
    }

    @Test
    void aMissingFileStopsTheStartUpNamingTheCommandThatMakesOne(@TempDir Path dir) {
        Path file = dir.resolve("keys.json");
        assertThatThrownBy(() -> factory(file).build())
                .hasMessageContaining("no signing key file " + file)
                .hasMessageContaining("tollgate keys init --file " + file);
        assertThat(file).doesNotExist();
    }

    @Test
    void generateIfMissingMakesADemoKeyThatOnlyADemoConfigurationAccepts(@TempDir Path dir) {
        Path file = dir.resolve("keys.json");
        SigningKeysFactory demo = factory(file);
        demo.generateIfMissing = true;
        assertThatThrownBy(demo::build).hasMessageContaining("is a demo key made by token-api at start-up")
                .hasMessageContaining("tollgate keys init");
        assertThat(KeySetFile.read(file).keys()).singleElement().satisfies(k -> assertThat(k.demo()).isTrue());

        demo.allowDemoKeys = true;
        SigningKeys keys = demo.build().current();
        assertThat(keys.currentKeyId()).isEqualTo(KeySetFile.read(file).active().orElseThrow().kid());
    }

    @Test
    void aKeyFileInTheLocalStacksDirectoryIsADemoKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(".stack/token-api/jwks.json");
        KeySetFile.write(file, KeySet.init(SigningAlgorithm.ES256, Instant.now(), false));
        assertThatThrownBy(() -> factory(file).build()).hasMessageContaining("local stack's .stack directory");
        SigningKeysFactory demo = factory(file);
        demo.allowDemoKeys = true;
        assertThat(demo.build().current().keySet().keys()).hasSize(1);
    }

    @Test
    void aKeySetMadeByTheCliLoads(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.json");
        KeySet set = KeySet.init(SigningAlgorithm.RS256, Instant.now(), false);
        KeySetFile.write(file, set);
        assertThat(factory(file).build().current().currentKeyId()).isEqualTo(set.active().orElseThrow().kid());
    }

    @Test
    void aSetWithoutAnActiveKeyStopsTheStartUp(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.json");
        KeySet set = KeySet.init(SigningAlgorithm.ES256, Instant.now(), false);
        String only = set.active().orElseThrow().kid();
        KeySet promotedAway = set.add(KeySet.newStagedKey(SigningAlgorithm.ES256, Instant.now()));
        String staged = promotedAway.keys().get(1).kid();
        KeySet noActive = promotedAway.publish(staged, Instant.now())
                .promote(staged, Instant.now(), java.time.Duration.ZERO, false).retire(only, Instant.now(),
                        java.time.Duration.ZERO, true);
        Files.writeString(file, KeySetFile.format(noActive).replace("\"state\" : \"active\"",
                "\"state\" : \"published\""));
        assertThatThrownBy(() -> factory(file).build()).hasMessageContaining("no key is active")
                .hasMessageContaining("tollgate keys promote");
    }
}
