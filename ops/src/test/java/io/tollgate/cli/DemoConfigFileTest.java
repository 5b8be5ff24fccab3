package io.tollgate.cli;

import io.tollgate.ops.stack.StackConfig;
import io.tollgate.shared.declarative.ConfigValidator;
import io.tollgate.shared.declarative.DeclarativeConfig;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.PlanRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ops/tollgate.yaml} is valid and holds exactly the demo registry's plans and the API {@code mobile} the local
 * stack publishes: {@code tollgate diff -f ops/tollgate.yaml} against the demo stack shows no change.
 */
class DemoConfigFileTest {
    @Test
    void theDemoFileIsTheDemoRegistry() throws Exception {
        DeclarativeConfig file = new ConfigValidator().check(ConfigValidator.read(
                Files.readString(Path.of("tollgate.yaml"))));

        List<EventData> demo = DemoRegistry.records();
        assertThat(file.plans()).containsExactlyInAnyOrderElementsOf(
                demo.stream().filter(PlanRecord.class::isInstance).map(PlanRecord.class::cast).toList());
        // the local stack publishes API mobile with its demo upstream
        assertThat(file.apis()).containsExactly(DemoRegistry.api(new StackConfig().upstreamUrl()));
    }
}
