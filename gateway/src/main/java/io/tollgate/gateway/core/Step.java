package io.tollgate.gateway.core;

/** One concern of the request pipeline. Returns a {@link Rejection} to answer at once, or null to go on. */
public interface Step {
    Rejection apply(Exchange exchange);
}
