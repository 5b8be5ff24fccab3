package io.tollgate.gateway.core;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The steps in their explicit order, run by one loop: each step's {@link Stage} says go on, answer (the first
 * rejection ends the request), or wait; after a {@link Stage.Pending} completes with {@link Stage#NEXT}, the loop
 * resumes with the next step on the connection's event loop. A step that throws is answered 500.
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
     * Runs on the event loop {@code loop}; {@code done} gets the verdict (null = proxy it), called on {@code loop}
     * or on whichever thread completed the last pending step.
     */
    public void run(Exchange exchange, Executor loop, Consumer<Rejection> done) {
        advance(exchange, 0, loop, done);
    }

    private void advance(Exchange exchange, int from, Executor loop, Consumer<Rejection> done) {
        for (int i = from; i < steps.size(); i++) {
            Stage stage;
            try {
                stage = steps.get(i).apply(exchange);
            } catch (RuntimeException e) {
                stage = Rejection.serverError();
            }
            if (stage == Stage.NEXT) {
                continue;
            }
            if (stage instanceof Stage.Pending pending) {
                await(pending, exchange, i + 1, loop, done);
            } else {
                done.accept(stage instanceof Rejection rejection ? rejection : Rejection.serverError());
            }
            return;
        }
        done.accept(null);
    }

    private void await(Stage.Pending pending, Exchange exchange, int next, Executor loop, Consumer<Rejection> done) {
        try {
            pending.onDone(new Resume(this, exchange, next, loop, done));
        } catch (RuntimeException e) {
            done.accept(Rejection.serverError());
        }
    }

    /** A pending step's completion, and the task that resumes the request at the next step (one object for both). */
    private record Resume(Pipeline pipeline, Exchange exchange, int next, Executor loop, Consumer<Rejection> done)
            implements Consumer<Stage>, Runnable {
        @Override
        public void accept(Stage stage) {
            if (stage == Stage.NEXT) {
                loop.execute(this);
            } else {
                // anything but a rejection here is a step's bug: deny
                done.accept(stage instanceof Rejection rejection ? rejection : Rejection.serverError());
            }
        }

        @Override
        public void run() {
            pipeline.advance(exchange, next, loop, done);
        }
    }
}
