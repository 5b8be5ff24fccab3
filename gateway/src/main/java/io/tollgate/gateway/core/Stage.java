package io.tollgate.gateway.core;

import java.util.function.Consumer;

/**
 * What a step says about a request: go on to the next step ({@link #NEXT}), answer it now (a {@link Rejection}),
 * or wait for an answer that comes later ({@link Pending}). The go-on and answer stages allocate nothing.
 */
public sealed interface Stage permits Stage.Next, Rejection, Stage.Pending {

    /** The step is satisfied: the next one runs. */
    Stage NEXT = Next.INSTANCE;

    /** See {@link #NEXT}. */
    enum Next implements Stage {
        INSTANCE
    }

    /**
     * An answer that comes later, from another thread or a later pass of the event loop (a Redis reply, a worker's
     * read). The pipeline calls {@link #onDone} once; the step completes it exactly once, on any thread, with
     * {@link #NEXT} or a {@link Rejection}, and never blocks the caller.
     */
    @FunctionalInterface
    non-sealed interface Pending extends Stage {
        void onDone(Consumer<Stage> done);
    }
}
