package io.tollgate.gateway.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The steps in their explicit order; the first rejection ends the request. Steps run on the connection's
 * event loop while they can answer without blocking; a step that would block (a token-state cache miss)
 * moves the rest of the pipeline to a worker thread; an {@link AsyncStep} hands over and the pipeline
 * resumes on the event loop when it answers.
 */
public final class Pipeline {
    private final List<Step> steps;

    public Pipeline(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    public List<Step> steps() {
        return steps;
    }

    /**
     * Runs from the event loop {@code loop}; {@code done} gets the verdict (null = proxy it), called on
     * {@code loop} or on whichever thread finished the last step.
     */
    public void run(Exchange exchange, Executor loop, Executor workers, Consumer<Rejection> done) {
        advance(exchange, 0, true, loop, workers, done);
    }

    private void advance(Exchange exchange, int from, boolean onLoop, Executor loop, Executor workers,
                         Consumer<Rejection> done) {
        for (int i = from; i < steps.size(); i++) {
            Step step = steps.get(i);
            Rejection rejection;
            try {
                if (step instanceof AsyncStep async && async.appliesTo(exchange)) {
                    int next = i + 1;
                    async.start(exchange, r -> {
                        if (r != null) {
                            done.accept(r);
                        } else {
                            loop.execute(() -> advance(exchange, next, true, loop, workers, done));
                        }
                    });
                    return;
                }
                rejection = step instanceof AsyncStep ? null : onLoop ? step.tryInline(exchange) : step.apply(exchange);
            } catch (RuntimeException e) {
                rejection = serverError();
            }
            if (rejection == Rejection.WOULD_BLOCK) {
                int at = i;
                try {
                    workers.execute(() -> advance(exchange, at, false, loop, workers, done));
                } catch (RejectedExecutionException e) {
                    done.accept(Rejection.unavailable("the gateway is overloaded"));
                }
                return;
            }
            if (rejection != null) {
                done.accept(rejection);
                return;
            }
        }
        done.accept(null);
    }

    private static Rejection serverError() {
        return new Rejection(500, Outcome.UNAVAILABLE, "server_error", "the gateway could not process the request",
                Map.of());
    }
}
