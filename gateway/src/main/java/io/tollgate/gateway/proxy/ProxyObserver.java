package io.tollgate.gateway.proxy;

import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Outcome;

/** Told once per answered request (metrics, api.call events). Runs on the event loop: must not block. */
public interface ProxyObserver {
    void completed(Exchange exchange, int status, Outcome outcome, long upstreamNanos);
}
