package io.tollgate.shared.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A service's labelled counters and histograms, in Prometheus' own client ({@code prometheus-metrics-core}):
 * Dropwizard metrics have no labels and time into summaries, which cannot be added up across nodes. These are
 * exported at {@code /prometheus} beside the bridged Dropwizard metrics ({@link PrometheusEndpoint#bridge}).
 *
 * <p>One instance per Dropwizard {@link MetricRegistry} (that is, per application), looked up by the registry, so
 * every component that is handed the registry reaches the same signals and two applications in one JVM (tests)
 * never share series. It is not registered in the Dropwizard registry itself: its listeners (JMX, reporters) accept
 * only Dropwizard's own metric kinds.
 *
 * <p>Hot paths resolve their label children once ({@code counter.labelValues(...)} returns a data point to keep) and
 * then only increment or observe them; no exemplars are sampled.
 */
public final class Signals {
    private static final Map<MetricRegistry, Signals> BY_REGISTRY = new java.util.WeakHashMap<>();

    /** Gateway latencies, seconds: 0.25 ms to 1 s. */
    public static final double[] GATEWAY_BUCKETS =
            {0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};
    /** Token endpoint and identity-provider latencies, seconds: 1 ms to 5 s. */
    public static final double[] TOKEN_BUCKETS =
            {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
    /** Revocation propagation (event time to Redis), seconds: 1 ms to 10 s. */
    public static final double[] PROPAGATION_BUCKETS =
            {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<String, Registered> byName = new ConcurrentHashMap<>();

    private record Registered(Object metric, String kind, String[] labelNames) {
    }

    Signals() {
    }

    /** The application's signals, created on first use. */
    public static Signals of(MetricRegistry metrics) {
        synchronized (BY_REGISTRY) {
            return BY_REGISTRY.computeIfAbsent(metrics, m -> new Signals());
        }
    }

    /**
     * The counter {@code name} (exported as {@code name_total}) with these label names, created on first use; the
     * same name asked again with other labels is a programming error.
     */
    public Counter counter(String name, String help, String... labelNames) {
        return (Counter) getOrCreate(name, "counter", labelNames, () -> Counter.builder().name(name).help(help)
                .labelNames(labelNames).withoutExemplars().register(registry));
    }

    /** A classic histogram (cumulative {@code _bucket{le}}, {@code _sum}, {@code _count}) with these upper bounds. */
    public Histogram histogram(String name, String help, double[] buckets, String... labelNames) {
        return (Histogram) getOrCreate(name, "histogram", labelNames, () -> Histogram.builder().name(name).help(help)
                .labelNames(labelNames).classicOnly().classicUpperBounds(buckets).withoutExemplars()
                .register(registry));
    }

    private Object getOrCreate(String name, String kind, String[] labelNames, java.util.function.Supplier<Object> make) {
        Registered registered = byName.computeIfAbsent(name, n -> new Registered(make.get(), kind, labelNames.clone()));
        if (!registered.kind().equals(kind) || !Arrays.equals(registered.labelNames(), labelNames)) {
            throw new IllegalArgumentException("metric " + name + " exists as a " + registered.kind() + " with labels "
                    + Arrays.toString(registered.labelNames()));
        }
        return registered.metric();
    }

    /** What a scrape exports. */
    PrometheusRegistry registry() {
        return registry;
    }
}
