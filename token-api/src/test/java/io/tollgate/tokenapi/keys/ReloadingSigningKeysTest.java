package io.tollgate.tokenapi.keys;

import com.nimbusds.jose.jwk.JWK;
import io.tollgate.shared.keys.KeySet;
import io.tollgate.shared.keys.KeySetFile;
import io.tollgate.shared.keys.ManagedKey;
import io.tollgate.shared.keys.SigningAlgorithm;
import io.tollgate.tokenapi.core.AccessTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReloadingSigningKeysTest {

    @Test
    void aChangedFileIsLoadedAndTokensOfTheOldKeyStillVerify(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.json");
        Instant now = Instant.now();
        KeySet first = KeySet.init(SigningAlgorithm.ES256, now, false);
        KeySetFile.write(file, first);
        ReloadingSigningKeys keys = new ReloadingSigningKeys(file, Duration.ofSeconds(1), SigningKeys::new);
        AccessTokens tokens = new AccessTokens(keys, "https://issuer.test", Duration.ofMinutes(5));
        String old = first.active().orElseThrow().kid();
        var byOld = tokens.issue("alice", "app", Set.of("mobile"), "read", "sid", now);
        assertThat(keys.reload()).as("unchanged file").isFalse();

        ManagedKey next = KeySet.newStagedKey(SigningAlgorithm.RS256, now);
        KeySet published = first.add(next).publish(next.kid(), now);
        KeySetFile.write(file, published);
        assertThat(keys.reload()).isTrue();
        assertThat(keys.current().publicJwkSet().getKeys()).extracting(JWK::getKeyID)
                .containsExactly(old, next.kid());
        assertThat(keys.current().currentKeyId()).as("a published key does not sign yet").isEqualTo(old);

        KeySetFile.write(file, published.promote(next.kid(), now, Duration.ZERO, false));
        assertThat(keys.reload()).isTrue();
        var byNew = tokens.issue("alice", "app", Set.of("mobile"), "read", "sid", now);
        assertThat(com.nimbusds.jwt.SignedJWT.parse(byNew.token()).getHeader().getKeyID()).isEqualTo(next.kid());
        assertThat(tokens.verify(byOld.token(), now)).isPresent();
        assertThat(tokens.verify(byNew.token(), now)).isPresent();
        assertThat(keys.current().publishedAlgorithms()).containsExactly("RS256", "ES256");
    }

    @Test
    void aBrokenOrMissingFileKeepsTheLastGoodSet(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.json");
        KeySet first = KeySet.init(SigningAlgorithm.ES256, Instant.now(), false);
        KeySetFile.write(file, first);
        ReloadingSigningKeys keys = new ReloadingSigningKeys(file, Duration.ofSeconds(1), SigningKeys::new);
        String kid = first.active().orElseThrow().kid();

        Files.writeString(file, "{\"keys\": [");
        assertThat(keys.reload()).isFalse();
        assertThat(keys.current().currentKeyId()).isEqualTo(kid);
        Files.delete(file);
        assertThat(keys.reload()).isFalse();
        assertThat(keys.current().currentKeyId()).isEqualTo(kid);
        // a set the node refuses (here: every key staged, none active) is kept out as well
        ManagedKey staged = KeySet.newStagedKey(SigningAlgorithm.ES256, Instant.now());
        Files.writeString(file, KeySetFile.format(new KeySet(java.util.List.of(staged))));
        assertThat(keys.reload()).isFalse();
        assertThat(keys.current().currentKeyId()).isEqualTo(kid);

        KeySetFile.write(file, first);
        assertThat(keys.reload()).as("the same set as loaded: nothing to swap").isFalse();
        KeySet second = KeySet.init(SigningAlgorithm.ES256, Instant.now(), false);
        KeySetFile.write(file, second);
        assertThat(keys.reload()).isTrue();
        assertThat(keys.current().currentKeyId()).isEqualTo(second.active().orElseThrow().kid());
    }
}
