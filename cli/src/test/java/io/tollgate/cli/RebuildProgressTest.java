package io.tollgate.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RebuildProgressTest {
    @Test
    void readsEveryProgressFormat() {
        assertThat(RebuildProjectionCommand.fraction("0.5")).hasValue(0.5);
        assertThat(RebuildProjectionCommand.fraction("40%")).hasValue(0.4);
        assertThat(RebuildProjectionCommand.fraction("30/120")).hasValue(0.25);
        assertThat(RebuildProjectionCommand.fraction("75")).hasValue(0.75);
        assertThat(RebuildProjectionCommand.fraction("soon")).isEmpty();
        assertThat(RebuildProjectionCommand.fraction("3/0")).isEmpty();
        assertThat(RebuildProjectionCommand.fraction(null)).isEmpty();
    }

    @Test
    void drawsABar() {
        assertThat(RebuildProjectionCommand.bar("0.5")).isEqualTo("[###############---------------]  50%");
        assertThat(RebuildProjectionCommand.bar("2")).endsWith("  2%");
        assertThat(RebuildProjectionCommand.bar("7 of 9 partitions")).isEqualTo("rebuilding... 7 of 9 partitions");
    }
}
