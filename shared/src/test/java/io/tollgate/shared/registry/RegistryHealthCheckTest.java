package io.tollgate.shared.registry;

import com.codahale.metrics.health.HealthCheck;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryHealthCheckTest {
    @Test
    void aViewWhoseConsumerStoppedIsNeitherReadyNorHealthy() {
        RegistryView view = new RegistryView();
        RegistryHealthCheck check = new RegistryHealthCheck(view);
        assertThat(check.execute().isHealthy()).isFalse();
        assertThat(check.execute().getMessage()).isEqualTo("registry view still loading");

        view.markReady();
        assertThat(view.isReady()).isTrue();
        assertThat(check.execute().isHealthy()).isTrue();

        view.fail("the registry consumer stopped: TopicAuthorizationException");
        assertThat(view.isReady()).as("stale views fail closed").isFalse();
        HealthCheck.Result result = check.execute();
        assertThat(result.isHealthy()).isFalse();
        assertThat(result.getMessage()).isEqualTo("the registry consumer stopped: TopicAuthorizationException");
    }
}
