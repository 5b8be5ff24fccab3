package io.tollgate.gateway.core;

import io.tollgate.shared.events.PlanRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EffectiveScopesTest {
    private static final PlanRecord READ = plan("basic", "read");
    private static final PlanRecord READ_WRITE = plan("plus", "read", "write");

    private static PlanRecord plan(String id, String... scopes) {
        return new PlanRecord(id, "api-" + id, id, Set.of(scopes), 0, 0, 0, 1, false, Set.of("password"));
    }

    private static VerifiedToken token(String... scopes) {
        return new VerifiedToken("alice", "demo-mobile", String.join(" ", scopes), Set.of(scopes),
                List.of("api-basic", "api-plus"), "jti-1", "sid-1", 1, 2);
    }

    @Test
    void theTokensScopesThatThePlanGrantsInLexicographicOrder() {
        EffectiveScopes onRead = EffectiveScopes.of(Set.of("write", "read", "admin"), READ);
        assertThat(onRead.scopes()).containsExactly("read");
        assertThat(onRead.header()).isEqualTo("read");
        assertThat(onRead.contains("write")).isFalse();

        EffectiveScopes onReadWrite = EffectiveScopes.of(Set.of("write", "read", "admin"), READ_WRITE);
        assertThat(onReadWrite.scopes()).containsExactlyInAnyOrder("read", "write");
        assertThat(onReadWrite.header()).isEqualTo("read write");
    }

    @Test
    void noScopeInCommonIsAnEmptySetAndAnEmptyHeader() {
        EffectiveScopes none = EffectiveScopes.of(Set.of("write"), READ);
        assertThat(none.scopes()).isEmpty();
        assertThat(none.header()).isEmpty();
        assertThat(none.contains("read")).isFalse();
    }

    @Test
    void aTokenAnswersForEachPlanItMeetsAndForAChangedPlan() {
        VerifiedToken token = token("read", "write");
        assertThat(token.effectiveScopes(READ).header()).isEqualTo("read");
        assertThat(token.effectiveScopes(READ_WRITE).header()).isEqualTo("read write");
        assertThat(token.effectiveScopes(READ).header()).isEqualTo("read");
        // the registry replaced the plan (same id, now read write): a new instance is computed afresh
        PlanRecord widened = plan("basic", "read", "write");
        assertThat(token.effectiveScopes(widened).header()).isEqualTo("read write");
        assertThat(token.effectiveScopes(widened)).isSameAs(token.effectiveScopes(widened));
    }
}
