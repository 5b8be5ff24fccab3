package io.tollgate.shared.health;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("unchecked")
class ReadinessServletTest {
    private final AtomicBoolean redisUp = new AtomicBoolean(true);
    private final AtomicBoolean kafkaUp = new AtomicBoolean(true);
    private final HealthCheckRegistry checks = new HealthCheckRegistry();

    ReadinessServletTest() {
        checks.register("redis", check(redisUp, "Redis unreachable"));
        checks.register("kafka", check(kafkaUp, "no broker answered"));
    }

    private static HealthCheck check(AtomicBoolean up, String failure) {
        return new HealthCheck() {
            @Override
            protected Result check() {
                return up.get() ? Result.healthy() : Result.unhealthy(failure);
            }
        };
    }

    @Test
    void aCheckThatIsNotRequiredDoesNotDecideReadiness() {
        ReadinessServlet ready = new ReadinessServlet(checks, Set.of("kafka"));
        kafkaUp.set(false);
        ReadinessServlet.Answer answer = ready.evaluate();
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).containsEntry("ready", true).containsEntry("failing", List.of());
        assertThat((Map<String, Object>) answer.body().get("checks")).containsOnlyKeys("redis");
    }

    @Test
    void aFailingRequiredCheckIs503AndNamed() {
        ReadinessServlet ready = new ReadinessServlet(checks, Set.of("kafka"));
        redisUp.set(false);
        ReadinessServlet.Answer answer = ready.evaluate();
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.body()).containsEntry("ready", false).containsEntry("failing", List.of("redis"));
        assertThat((Map<String, Object>) answer.body().get("checks")).containsEntry("redis",
                Map.of("healthy", false, "message", "Redis unreachable"));
    }

    @Test
    void everyCheckCountsUnlessNamedIncludingOnesRegisteredLater() {
        ReadinessServlet ready = new ReadinessServlet(checks, Set.of());
        kafkaUp.set(false);
        assertThat(ready.evaluate().body()).containsEntry("failing", List.of("kafka"));
        kafkaUp.set(true);
        assertThat(ready.evaluate().status()).isEqualTo(200);
        checks.register("streams", check(new AtomicBoolean(false), "PENDING_SHUTDOWN"));
        assertThat(ready.evaluate().body()).containsEntry("failing", List.of("streams"));
    }
}
