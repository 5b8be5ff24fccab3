package io.tollgate.tokenapi.core;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.tollgate.shared.metrics.Signals;

/** token-api's labelled Prometheus signals (names and labels in the module README). */
final class TokenMetrics {
    private TokenMetrics() {
    }

    /** {@code tollgate_token_requests_total{grant_type, outcome}}: outcome {@code success} or the OAuth error code. */
    static Counter requests(MetricRegistry metrics) {
        return Signals.of(metrics).counter("tollgate_token_requests",
                "token endpoint answers by grant type and outcome (success or the RFC 6749 error code)",
                "grant_type", "outcome");
    }

    /** {@code tollgate_token_request_duration_seconds{grant_type}}: the token endpoint's work per request, 1 ms to 5 s. */
    static Histogram duration(MetricRegistry metrics) {
        return Signals.of(metrics).histogram("tollgate_token_request_duration_seconds",
                "time to answer a token request of a supported grant type", Signals.TOKEN_BUCKETS, "grant_type");
    }

    /** {@code tollgate_lockouts_total{scope}}: {@code user} or {@code ip}. */
    static Counter lockouts(MetricRegistry metrics) {
        return Signals.of(metrics).counter("tollgate_lockouts", "lockouts started, by what is locked (user or ip)",
                "scope");
    }

    /** {@code tollgate_idp_request_duration_seconds}: each credential check or profile read at the identity provider. */
    static Histogram identityProvider(MetricRegistry metrics) {
        return Signals.of(metrics).histogram("tollgate_idp_request_duration_seconds",
                "time of one credential check or profile look-up at the identity provider", Signals.TOKEN_BUCKETS);
    }
}
