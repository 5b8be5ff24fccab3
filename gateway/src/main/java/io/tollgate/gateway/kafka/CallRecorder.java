package io.tollgate.gateway.kafka;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Outcome;
import io.tollgate.gateway.core.TraceContext;
import io.tollgate.gateway.proxy.ProxyObserver;
import io.tollgate.shared.events.ApiCall;
import io.tollgate.shared.metrics.Signals;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts every answer by API and outcome, times requests and upstream calls in histograms, and hands one api.call
 * event to the publisher. Series: {@code tollgate_gateway_requests_total{api, outcome}},
 * {@code tollgate_gateway_request_duration_seconds{api}} and {@code tollgate_gateway_upstream_duration_seconds{api}}
 * (0.25 ms to 1 s); {@code api} is {@value #NO_API} for a request that matched no route.
 */
public final class CallRecorder implements ProxyObserver {
    /** The {@code api} label of a request that matched no route, as in the {@code api.call} event. */
    public static final String NO_API = "-";
    private static final Outcome[] OUTCOMES = Outcome.values();

    private final Counter requests;
    private final Histogram requestDuration;
    private final Histogram upstreamDuration;
    /** Label children resolved once per API: a request only looks its API up (no label array, no string). */
    private final Map<String, ApiSeries> byApi = new ConcurrentHashMap<>();
    private final CallEventPublisher publisher;

    /** The resolved series of one API. */
    private static final class ApiSeries {
        final CounterDataPoint[] byOutcome = new CounterDataPoint[OUTCOMES.length];
        final DistributionDataPoint request;
        final DistributionDataPoint upstream;

        ApiSeries(String api, Counter requests, Histogram requestDuration, Histogram upstreamDuration) {
            for (Outcome outcome : OUTCOMES) {
                byOutcome[outcome.ordinal()] = requests.labelValues(api, label(outcome));
            }
            request = requestDuration.labelValues(api);
            upstream = upstreamDuration.labelValues(api);
        }
    }

    public CallRecorder(MetricRegistry metrics, CallEventPublisher publisher) {
        this(metrics, publisher, List.of());
    }

    /** @param apis the configured APIs, whose series exist from the start, at 0 */
    public CallRecorder(MetricRegistry metrics, CallEventPublisher publisher, Collection<String> apis) {
        Signals signals = Signals.of(metrics);
        this.requests = signals.counter("tollgate_gateway_requests", "gateway answers by API and outcome",
                "api", "outcome");
        this.requestDuration = signals.histogram("tollgate_gateway_request_duration_seconds",
                "time from a request's arrival to its answer or its hand-over upstream", Signals.GATEWAY_BUCKETS, "api");
        this.upstreamDuration = signals.histogram("tollgate_gateway_upstream_duration_seconds",
                "time from sending a request upstream to the upstream's response", Signals.GATEWAY_BUCKETS, "api");
        series(NO_API);
        apis.forEach(this::series);
        this.publisher = publisher;
    }

    /** The {@code outcome} label: the enum's name in lower case ({@code proxied}, {@code rate_limited}, ...). */
    public static String label(Outcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }

    private ApiSeries series(String api) {
        ApiSeries series = byApi.get(api);
        if (series == null) {
            series = byApi.computeIfAbsent(api, a -> new ApiSeries(a, requests, requestDuration, upstreamDuration));
        }
        return series;
    }

    @Override
    public void completed(Exchange exchange, int status, Outcome outcome, long upstreamNanos) {
        if (exchange == null) {
            return;
        }
        long elapsed = System.nanoTime() - exchange.startNanos();
        var route = exchange.route();
        String api = route == null ? NO_API : route.api();
        ApiSeries series = series(api);
        series.byOutcome[outcome.ordinal()].inc();
        series.request.observe(elapsed / 1e9);
        if (upstreamNanos > 0) {
            series.upstream.observe(upstreamNanos / 1e9);
        }
        if (publisher != null) {
            var token = exchange.token();
            // a client token (client credentials grant) has no user
            String user = token == null || token.clientToken() ? null : token.subject();
            publisher.publish(new ApiCall(token == null ? null : token.clientId(), user,
                    api, route == null ? "-" : route.prefix(), exchange.method(), status,
                    elapsed / 1000, outcome.event(), Instant.now(), TraceContext.traceId(exchange.traceparent())));
        }
    }
}
