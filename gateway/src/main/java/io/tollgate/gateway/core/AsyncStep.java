package io.tollgate.gateway.core;

import java.util.function.Consumer;

/** A step whose answer comes later from another thread (e.g. a batched Redis call); never blocks the caller. */
public interface AsyncStep extends Step {
    /** Completes {@code done} exactly once, on any thread, with a rejection or null. */
    void start(Exchange exchange, Consumer<Rejection> done);

    /** False when the step has nothing to do for {@code exchange}: the pipeline goes on at once, with no hand-over. */
    default boolean appliesTo(Exchange exchange) {
        return true;
    }

    @Override
    default Rejection apply(Exchange exchange) {
        throw new UnsupportedOperationException("asynchronous step");
    }
}
