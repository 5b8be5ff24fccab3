package io.tollgate.testkit;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FreePortsTest {
    /** 2,000 draws from ~28,000 ephemeral ports repeat one almost surely (birthday bound) unless find() prevents it. */
    @Test
    void neverHandsOutTheSamePortTwice() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            int port = FreePorts.find();
            assertThat(seen.add(port)).as("port %d handed out twice (draw %d)", port, i).isTrue();
            assertThat(FreePorts.isListening(port)).isFalse();
        }
    }
}
