package io.tollgate.shared.metrics;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Exposes a service's metrics in the Prometheus text format at {@code /prometheus} on the admin connector: its
 * labelled counters and histograms ({@link Signals}) as they are, and its Dropwizard metrics through Prometheus'
 * maintained Dropwizard bridge (names with dots as underscores, timers as summaries). Names are identical on
 * every node; the node is the scrape target's label.
 */
public final class PrometheusEndpoint {
    public static final String PATH = "/prometheus";

    private PrometheusEndpoint() {
    }

    /** A Prometheus registry that mirrors {@code metrics} and its {@link Signals} at every scrape. */
    public static PrometheusRegistry bridge(MetricRegistry metrics) {
        PrometheusRegistry registry = new PrometheusRegistry();
        PrometheusRegistry signals = Signals.of(metrics).registry();
        registry.register((MultiCollector) signals::scrape);
        DropwizardExports.builder().dropwizardRegistry(metrics).register(registry);
        return registry;
    }

    /** Registers {@code /prometheus} on the admin connector. Call from {@code Application.run}. */
    public static void register(Environment environment) {
        environment.admin().addServlet("prometheus", new PrometheusMetricsServlet(bridge(environment.metrics())))
                .addMapping(PATH);
    }
}
