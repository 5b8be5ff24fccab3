package io.tollgate.gateway.core;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/** A step's blocking work, run on the worker pool: pending until it answers; a full worker queue is a 503. */
public final class OnWorker {
    private OnWorker() {
    }

    /** {@code work} on {@code workers}; a runtime exception from it is answered 500. */
    public static Stage.Pending run(Executor workers, Supplier<Stage> work) {
        return done -> {
            try {
                workers.execute(() -> done.accept(answer(work)));
            } catch (RejectedExecutionException e) {
                done.accept(Rejection.unavailable("the gateway is overloaded"));
            }
        };
    }

    private static Stage answer(Supplier<Stage> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            return Rejection.serverError();
        }
    }
}
