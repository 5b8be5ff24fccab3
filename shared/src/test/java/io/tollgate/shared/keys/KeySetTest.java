package io.tollgate.shared.keys;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeySetTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration MIN_PUBLISHED = Duration.ofMinutes(10);
    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);

    @Test
    void aKeyIsStagedThenPublishedThenPromotedAndTheOldKeyRetiredAfterItsTokensExpired() {
        KeySet set = KeySet.init(SigningAlgorithm.ES256, T0, false);
        String old = set.active().orElseThrow().kid();

        ManagedKey staged = KeySet.newStagedKey(SigningAlgorithm.RS256, T0.plusSeconds(60));
        set = set.add(staged);
        assertThat(set.get(staged.kid()).state()).isEqualTo(KeyState.STAGED);
        assertThat(set.publishedKeys()).extracting(ManagedKey::kid).containsExactly(old);

        Instant published = T0.plusSeconds(120);
        set = set.publish(staged.kid(), published);
        assertThat(set.get(staged.kid()).state()).isEqualTo(KeyState.PUBLISHED);
        assertThat(set.get(staged.kid()).published()).isEqualTo(published);
        assertThat(set.publishedKeys()).extracting(ManagedKey::kid).containsExactly(old, staged.kid());
        assertThat(set.active().orElseThrow().kid()).isEqualTo(old);

        Instant promoted = published.plus(MIN_PUBLISHED);
        set = set.promote(staged.kid(), promoted, MIN_PUBLISHED, false);
        assertThat(set.active().orElseThrow().kid()).isEqualTo(staged.kid());
        assertThat(set.get(staged.kid()).activated()).isEqualTo(promoted);
        ManagedKey demoted = set.get(old);
        assertThat(demoted.state()).isEqualTo(KeyState.PUBLISHED);
        assertThat(demoted.deactivated()).isEqualTo(promoted);
        assertThat(set.publishedKeys()).hasSize(2);

        Instant allExpired = promoted.plus(TOKEN_LIFETIME).plus(KeySet.RETIRE_MARGIN);
        set = set.retire(old, allExpired, TOKEN_LIFETIME, false);
        assertThat(set.keys()).extracting(ManagedKey::kid).containsExactly(staged.kid());
    }

    @Test
    void promotionIsRefusedUntilTheKeyHasBeenPublishedLongEnoughUnlessForced() {
        KeySet set = KeySet.init(SigningAlgorithm.ES256, T0, false);
        ManagedKey next = KeySet.newStagedKey(SigningAlgorithm.ES256, T0);
        KeySet published = set.add(next).publish(next.kid(), T0);

        Instant early = T0.plus(MIN_PUBLISHED).minusSeconds(1);
        assertThatThrownBy(() -> published.promote(next.kid(), early, MIN_PUBLISHED, false))
                .isInstanceOfSatisfying(KeySetException.class, e -> assertThat(e.forcible()).isTrue())
                .hasMessageContaining("published at " + T0).hasMessageContaining("from " + T0.plus(MIN_PUBLISHED));
        assertThat(published.promote(next.kid(), early, MIN_PUBLISHED, true).active().orElseThrow().kid())
                .isEqualTo(next.kid());
    }

    @Test
    void aStagedKeyCannotBePromotedEvenByForceAndAKeyIsPublishedOnce() {
        KeySet set = KeySet.init(SigningAlgorithm.ES256, T0, false);
        ManagedKey next = KeySet.newStagedKey(SigningAlgorithm.ES256, T0);
        KeySet staged = set.add(next);
        assertThatThrownBy(() -> staged.promote(next.kid(), T0.plus(Duration.ofDays(1)), MIN_PUBLISHED, true))
                .isInstanceOfSatisfying(KeySetException.class, e -> assertThat(e.forcible()).isFalse())
                .hasMessageContaining("is staged").hasMessageContaining("publish it first");
        String active = set.active().orElseThrow().kid();
        assertThatThrownBy(() -> set.publish(active, T0)).hasMessageContaining("already active");
        assertThatThrownBy(() -> set.promote(active, T0, MIN_PUBLISHED, true)).hasMessageContaining("is active");
    }

    @Test
    void retiringIsRefusedForTheActiveKeyAndWhileTokensOfTheOldKeyMayLive() {
        KeySet set = KeySet.init(SigningAlgorithm.ES256, T0, false);
        String old = set.active().orElseThrow().kid();
        assertThatThrownBy(() -> set.retire(old, T0.plus(Duration.ofDays(30)), TOKEN_LIFETIME, true))
                .isInstanceOfSatisfying(KeySetException.class, e -> assertThat(e.forcible()).isFalse())
                .hasMessageContaining("is active").hasMessageContaining("promote another key first");

        ManagedKey next = KeySet.newStagedKey(SigningAlgorithm.ES256, T0);
        Instant promoted = T0.plus(MIN_PUBLISHED);
        KeySet rotated = set.add(next).publish(next.kid(), T0).promote(next.kid(), promoted, MIN_PUBLISHED, false);
        Instant lastValid = promoted.plus(TOKEN_LIFETIME).plus(KeySet.RETIRE_MARGIN);
        assertThatThrownBy(() -> rotated.retire(old, lastValid.minusSeconds(1), TOKEN_LIFETIME, false))
                .isInstanceOfSatisfying(KeySetException.class, e -> assertThat(e.forcible()).isTrue())
                .hasMessageContaining("stopped signing at " + promoted)
                .hasMessageContaining("valid until " + lastValid);
        assertThat(rotated.retire(old, lastValid.minusSeconds(1), TOKEN_LIFETIME, true).find(old)).isEmpty();
        assertThat(rotated.retire(old, lastValid, TOKEN_LIFETIME, false).find(old)).isEmpty();
    }

    @Test
    void aKeyThatNeverSignedIsRetiredAtOnce() {
        KeySet set = KeySet.init(SigningAlgorithm.ES256, T0, false);
        ManagedKey staged = KeySet.newStagedKey(SigningAlgorithm.ES256, T0);
        ManagedKey published = KeySet.newStagedKey(SigningAlgorithm.ES256, T0);
        KeySet both = set.add(staged).add(published).publish(published.kid(), T0);
        assertThat(both.retire(staged.kid(), T0, TOKEN_LIFETIME, false).find(staged.kid())).isEmpty();
        assertThat(both.retire(published.kid(), T0, TOKEN_LIFETIME, false).find(published.kid())).isEmpty();
        assertThatThrownBy(() -> both.retire("no-such-kid", T0, TOKEN_LIFETIME, true))
                .hasMessageContaining("no key no-such-kid");
    }

    @Test
    void kidsAreUniqueAndAtMostOneKeyIsActive() {
        ManagedKey a = KeySet.init(SigningAlgorithm.ES256, T0, false).keys().get(0);
        ManagedKey b = KeySet.init(SigningAlgorithm.ES256, T0, false).keys().get(0);
        assertThatThrownBy(() -> new KeySet(List.of(a, b))).hasMessageContaining("more than one key is active");
        assertThatThrownBy(() -> new KeySet(List.of(a, a))).hasMessageContaining("two keys have the kid");
    }

    @Test
    void aKeyPrintsWithoutItsPrivatePart() {
        ManagedKey key = KeySet.init(SigningAlgorithm.ES256, T0, false).keys().get(0);
        String d = ((com.nimbusds.jose.jwk.ECKey) key.jwk()).getD().toString();
        assertThat(key.toString()).contains(key.kid()).contains("[REDACTED]").doesNotContain(d);
    }
}
