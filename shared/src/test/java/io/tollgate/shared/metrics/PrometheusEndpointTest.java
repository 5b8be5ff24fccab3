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
        metrics.counter("tollgate.refresh.reused").inc(3);

        String first = scrape(registry);
        metrics.counter("tollgate.refresh.reused").inc();
        String second = scrape(registry);

        assertThat(first).contains("tollgate_refresh_reused_total 3.0");
        assertThat(second).contains("tollgate_refresh_reused_total 4.0");
    }

    @Test
    void signalsAreExportedWithTheirLabelsAndHistogramBuckets() throws Exception {
        MetricRegistry metrics = new MetricRegistry();
        var registry = PrometheusEndpoint.bridge(metrics);
        Signals signals = Signals.of(metrics);
        var requests = signals.counter("tollgate_test_requests", "requests by outcome", "grant_type", "outcome");
        requests.labelValues("password", "success").inc(2);
        requests.labelValues("password", "invalid_grant").inc();
        var latency = signals.histogram("tollgate_test_duration_seconds", "latency", Signals.TOKEN_BUCKETS,
                "grant_type");
        latency.labelValues("password").observe(0.003);
        latency.labelValues("password").observe(0.2);

        String text = scrape(registry);

        assertThat(text).contains("tollgate_test_requests_total{grant_type=\"password\",outcome=\"success\"} 2.0")
                .contains("tollgate_test_requests_total{grant_type=\"password\",outcome=\"invalid_grant\"} 1.0")
                .contains("tollgate_test_duration_seconds_bucket{grant_type=\"password\",le=\"0.001\"} 0")
                .contains("tollgate_test_duration_seconds_bucket{grant_type=\"password\",le=\"0.005\"} 1")
                .contains("tollgate_test_duration_seconds_bucket{grant_type=\"password\",le=\"0.25\"} 2")
                .contains("tollgate_test_duration_seconds_bucket{grant_type=\"password\",le=\"+Inf\"} 2")
                .contains("tollgate_test_duration_seconds_count{grant_type=\"password\"} 2")
                .doesNotContain("quantile").doesNotContain("tollgate_signals");
    }

    @Test
    void oneSignalsPerRegistryAndOneShapePerName() {
        MetricRegistry metrics = new MetricRegistry();
        Signals signals = Signals.of(metrics);
        var counter = signals.counter("tollgate_test_total_calls", "calls", "api");

        assertThat(Signals.of(metrics)).isSameAs(signals);
        assertThat(Signals.of(new MetricRegistry())).isNotSameAs(signals);
        assertThat(signals.counter("tollgate_test_total_calls", "calls", "api")).isSameAs(counter);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> signals.counter("tollgate_test_total_calls", "calls", "api", "outcome"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[api]");
    }

    private static String scrape(io.prometheus.metrics.model.registry.PrometheusRegistry registry) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
