package io.tollgate.gateway.kafka;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingWindowReservoir;
import com.codahale.metrics.Timer;
import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Outcome;
import io.tollgate.gateway.proxy.ProxyObserver;
import io.tollgate.shared.events.ApiCall;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Counts every answer by outcome, times upstream calls, and hands one api.call event to the publisher. */
public final class CallRecorder implements ProxyObserver {
    private final Map<Outcome, Meter> byOutcome = new EnumMap<>(Outcome.class);
    private final Timer requests;
    private final Timer upstream;
    private final CallEventPublisher publisher;

    public CallRecorder(MetricRegistry metrics, CallEventPublisher publisher) {
        for (Outcome outcome : Outcome.values()) {
            byOutcome.put(outcome, metrics.meter("gateway.requests." + outcome.name().toLowerCase()));
        }
        // The last 1,024 samples: Dropwizard's default (exponentially decaying) reservoir takes a lock and a
        // skip-list insertion per update, measurable at tens of thousands of requests per second.
        this.requests = metrics.timer("gateway.requests", () -> new Timer(new SlidingWindowReservoir(1024)));
        this.upstream = metrics.timer("gateway.upstream.latency", () -> new Timer(new SlidingWindowReservoir(1024)));
        this.publisher = publisher;
    }

    @Override
    public void completed(Exchange exchange, int status, Outcome outcome, long upstreamNanos) {
        if (exchange == null) {
            return;
        }
        long elapsed = System.nanoTime() - exchange.startNanos();
        byOutcome.get(outcome).mark();
        requests.update(elapsed, TimeUnit.NANOSECONDS);
        if (upstreamNanos > 0) {
            upstream.update(upstreamNanos, TimeUnit.NANOSECONDS);
        }
        if (publisher != null) {
            var token = exchange.token();
            var route = exchange.route();
            // a client token (client credentials) has no user
            String user = token == null || token.clientToken() ? null : token.subject();
            publisher.publish(new ApiCall(token == null ? null : token.clientId(), user,
                    route == null ? "-" : route.api(), route == null ? "-" : route.prefix(), exchange.method(), status,
                    elapsed / 1000, outcome.event(), Instant.now()));
        }
    }
}
