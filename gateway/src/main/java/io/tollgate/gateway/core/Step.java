package io.tollgate.gateway.core;

/** One concern of the request pipeline. Returns a {@link Rejection} to answer at once, or null to go on. */
public interface Step {
    /** May block (a Redis read); called on a worker thread, or on the event loop only if {@link #tryInline} said so. */
    Rejection apply(Exchange exchange);

    /**
     * The same check without blocking, on the event loop: {@link Rejection#WOULD_BLOCK} means "run
     * {@link #apply} on a worker instead". Most steps never block.
     */
    default Rejection tryInline(Exchange exchange) {
        return apply(exchange);
    }
}
