package io.tollgate.shared.keys;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeySetFileTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void aSetIsWrittenForItsOwnerOnlyAndReadBackWithStatesAndDates(@TempDir Path dir) throws Exception {
        KeySet set = KeySet.init(SigningAlgorithm.RS256, T0, true);
        ManagedKey next = KeySet.newStagedKey(SigningAlgorithm.ES256, T0.plusSeconds(1));
        set = set.add(next).publish(next.kid(), T0.plusSeconds(2)).promote(next.kid(), T0.plusSeconds(3),
                java.time.Duration.ZERO, false);
        Path file = dir.resolve("conf/keys.json");
        KeySetFile.write(file, set);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
        KeySet read = KeySetFile.read(file);
        assertThat(read).isEqualTo(set);
        ManagedKey old = read.keys().get(0);
        assertThat(old.state()).isEqualTo(KeyState.PUBLISHED);
        assertThat(old.demo()).isTrue();
        assertThat(old.deactivated()).isEqualTo(T0.plusSeconds(3));
        assertThat(read.active().orElseThrow().kid()).isEqualTo(next.kid());
        assertThat(read.active().orElseThrow().published()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void aSetMayHoldKeysOfEveryAlgorithmAndAnEdDsaKeyIsAnEd25519OctetKeyPair(@TempDir Path dir) throws Exception {
        KeySet set = KeySet.init(SigningAlgorithm.RS256, T0, false);
        ManagedKey es = KeySet.newStagedKey(SigningAlgorithm.ES256, T0);
        ManagedKey ed = KeySet.newStagedKey(SigningAlgorithm.EdDSA, T0);
        set = set.add(es).add(ed).publish(ed.kid(), T0).promote(ed.kid(), T0, java.time.Duration.ZERO, false);
        Path file = dir.resolve("keys.json");
        KeySetFile.write(file, set);

        KeySet read = KeySetFile.read(file);
        assertThat(read).isEqualTo(set);
        assertThat(read.keys()).extracting(ManagedKey::algorithm).containsExactly("RS256", "ES256", "EdDSA");
        assertThat(read.active().orElseThrow().jwk()).isInstanceOfSatisfying(OctetKeyPair.class, okp -> {
            assertThat(okp.getCurve()).isEqualTo(Curve.Ed25519);
            assertThat(okp.isPrivate()).isTrue();
            assertThat(okp.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        });
        assertThat(ed.kid()).startsWith("eddsa-20260301T100000-");
    }

    @Test
    void theFileIsAJwkSetThatAnyJwksReaderReads(@TempDir Path dir) throws Exception {
        KeySet set = KeySet.init(SigningAlgorithm.ES256, T0, false);
        Path file = dir.resolve("keys.json");
        KeySetFile.write(file, set);
        JWKSet plain = JWKSet.parse(Files.readString(file));
        assertThat(plain.getKeys()).singleElement().satisfies(k -> {
            assertThat(k.getKeyID()).isEqualTo(set.keys().get(0).kid());
            assertThat(k.isPrivate()).isTrue();
        });
        assertThat(Files.readString(file)).contains("\"tollgate\"").contains("\"state\" : \"active\"");
    }

    @Test
    void rewritingReplacesTheFileWholeAndKeepsItsMode(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.json");
        KeySet first = KeySet.init(SigningAlgorithm.ES256, T0, false);
        KeySetFile.write(file, first);
        Object inode = Files.getAttribute(file, "unix:ino");
        KeySet second = first.add(KeySet.newStagedKey(SigningAlgorithm.ES256, T0));
        KeySetFile.write(file, second);
        assertThat(Files.getAttribute(file, "unix:ino")).as("a new file renamed over the old").isNotEqualTo(inode);
        assertThat(KeySetFile.read(file)).isEqualTo(second);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aPlainJwkSetReadsWithTheNewestKeyActive() {
        JWK old = SigningAlgorithm.RS256.generate(T0);
        JWK newer = SigningAlgorithm.ES256.generate(T0.plusSeconds(60));
        KeySet set = KeySetFile.parse(new JWKSet(List.of(newer, old)).toString(false));
        assertThat(set.active().orElseThrow().kid()).isEqualTo(newer.getKeyID());
        assertThat(set.get(old.getKeyID()).state()).isEqualTo(KeyState.PUBLISHED);
    }

    @Test
    void anUnusableFileIsRefusedWithItsReason(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> KeySetFile.parse("{\"keys\": [")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> KeySetFile.parse("{}")).hasMessageContaining("no \"keys\" array");
        assertThatThrownBy(() -> KeySetFile.parse("{\"keys\": []}")).hasMessageContaining("holds no key");
        JWK a = SigningAlgorithm.ES256.generate(T0);
        String publicOnly = new JWKSet(a.toPublicJWK()).toString(true);
        assertThatThrownBy(() -> KeySetFile.parse(publicOnly)).hasMessageContaining("has no private part");
        String badState = KeySetFile.format(KeySet.init(SigningAlgorithm.ES256, T0, false))
                .replace("\"active\"", "\"signing\"");
        assertThatThrownBy(() -> KeySetFile.parse(badState)).hasMessageContaining("unknown key state \"signing\"");
        String twoActive = "{\"keys\": [" + member(SigningAlgorithm.ES256.generate(T0), "active") + ","
                + member(SigningAlgorithm.ES256.generate(T0), "active") + "]}";
        assertThatThrownBy(() -> KeySetFile.parse(twoActive)).hasMessageContaining("more than one key is active");

        Path file = dir.resolve("keys.json");
        Files.writeString(file, "{\"keys\": 1}", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> KeySetFile.read(file)).isInstanceOf(KeySetException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("no \"keys\" array");
        assertThatThrownBy(() -> KeySetFile.read(dir.resolve("absent.json")))
                .hasMessageContaining("cannot read the key set file");
    }

    private static String member(JWK key, String state) {
        String json = key.toJSONString();
        return json.substring(0, json.length() - 1) + ",\"tollgate\":{\"state\":\"" + state + "\"}}";
    }
}
