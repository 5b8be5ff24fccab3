package io.tollgate.policy.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecentRevocationsTest {
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    private static List<LiveFamily> families(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> new LiveFamily(id, 0, NOW.plusSeconds(3600))).toList();
    }

    private static List<String> ids(List<LiveFamily> families) {
        return families.stream().map(LiveFamily::familyId).toList();
    }

    @Test
    void aFamilyRevokedInTheOpenTransactionIsNoLongerLiveForTheNextRecord() {
        RecentRevocations recent = new RecentRevocations(Duration.ofMinutes(2));
        recent.revoking("f1");
        assertThat(ids(recent.stillLive(families("f1", "f2", "f3"), NOW))).containsExactly("f2", "f3");
    }

    @Test
    void anAbortedTransactionRevokedNothing() {
        RecentRevocations recent = new RecentRevocations(Duration.ofMinutes(2));
        recent.revoking("f1");
        recent.aborted();
        assertThat(ids(recent.stillLive(families("f1", "f2"), NOW))).containsExactly("f1", "f2");
        recent.committed(NOW);
        assertThat(ids(recent.stillLive(families("f1", "f2"), NOW))).containsExactly("f1", "f2");
    }

    @Test
    void aCommittedRevocationIsRememberedForItsKeepThenLeftToRedis() {
        RecentRevocations recent = new RecentRevocations(Duration.ofMinutes(2));
        recent.revoking("f1");
        recent.committed(NOW);
        recent.revoking("f2");
        recent.committed(NOW.plusSeconds(60));
        assertThat(ids(recent.stillLive(families("f1", "f2", "f3"), NOW.plusSeconds(119)))).containsExactly("f3");
        assertThat(ids(recent.stillLive(families("f1", "f2", "f3"), NOW.plusSeconds(120))))
                .containsExactly("f1", "f3");
        assertThat(ids(recent.stillLive(families("f1", "f2", "f3"), NOW.plusSeconds(180))))
                .containsExactly("f1", "f2", "f3");
        assertThat(recent.size()).isZero();
    }
}
