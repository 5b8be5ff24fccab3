package io.tollgate.shared.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusEndpointTest {

    @Test
    void dropwizardMetricsAppearInTheTextFormatAndMove() throws Exception {
        MetricRegistry metrics = new MetricRegistry();
        var registry = PrometheusEndpoint.bridge(metrics);
        metrics.counter("tollgate.grants.password.success").inc(3);

        String first = scrape(registry);
        metrics.counter("tollgate.grants.password.success").inc();
        String second = scrape(registry);

        assertThat(first).contains("tollgate_grants_password_success_total 3.0");
        assertThat(second).contains("tollgate_grants_password_success_total 4.0");
    }

    private static String scrape(io.prometheus.metrics.model.registry.PrometheusRegistry registry) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
