package io.tollgate.gateway.core;

import io.tollgate.shared.events.ApiCall;

/** The gateway's verdict on a request, finer than {@link ApiCall.Outcome} for metrics. */
public enum Outcome {
    PROXIED(ApiCall.Outcome.PROXIED),
    BAD_REQUEST(ApiCall.Outcome.BAD_REQUEST),
    NOT_FOUND(ApiCall.Outcome.BAD_REQUEST),
    NO_CREDENTIALS(ApiCall.Outcome.UNAUTHORIZED),
    INVALID_TOKEN(ApiCall.Outcome.UNAUTHORIZED),
    REVOKED(ApiCall.Outcome.UNAUTHORIZED),
    FORBIDDEN(ApiCall.Outcome.FORBIDDEN),
    RATE_LIMITED(ApiCall.Outcome.RATE_LIMITED),
    UNAVAILABLE(ApiCall.Outcome.UNAVAILABLE),
    UPSTREAM_ERROR(ApiCall.Outcome.UPSTREAM_ERROR),
    UPSTREAM_TIMEOUT(ApiCall.Outcome.UPSTREAM_ERROR);

    private final ApiCall.Outcome event;

    Outcome(ApiCall.Outcome event) {
        this.event = event;
    }

    public ApiCall.Outcome event() {
        return event;
    }
}
