package io.tollgate.gateway.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The steps in their explicit order, run by one loop: each step's {@link Stage} says go on, answer (the first
 * rejection ends the request), or wait; after a {@link Stage.Pending} completes with {@link Stage#NEXT}, the loop
 * resumes with the next step on the connection's event loop. A pending step that completes before its
 * {@link Stage.Pending#onDone} returns (the rate limiter admitting from its lease) goes on at once, on the same
 * loop, once {@code onDone} has returned: no task is queued for it. A step that throws is answered 500.
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
                stage = new Resume(this, exchange, i + 1, loop, done).await(pending);
                if (stage == null) {
                    return; // answered later: Resume takes it from there
                }
                if (stage == Stage.NEXT) {
                    continue;
                }
            }
            done.accept(stage instanceof Rejection rejection ? rejection : Rejection.serverError());
            return;
        }
        done.accept(null);
    }

    /** A pending step's completion, and the task that resumes the request at the next step (one object for both). */
    private static final class Resume implements Consumer<Stage>, Runnable {
        private static final int WAITING = 0;
        private static final int ANSWERED = 1;
        private static final int RETURNED = 2;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Resume.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Pipeline pipeline;
        private final Exchange exchange;
        private final int next;
        private final Executor loop;
        private final Consumer<Rejection> done;
        /** WAITING while {@code onDone} runs; then ANSWERED (completed in it) or RETURNED (it returned first). */
        @SuppressWarnings("unused") // through STATE
        private volatile int state;
        /** The stage a completion inside {@code onDone} gave; read once the ANSWERED state is seen. */
        private Stage answer;

        Resume(Pipeline pipeline, Exchange exchange, int next, Executor loop, Consumer<Rejection> done) {
            this.pipeline = pipeline;
            this.exchange = exchange;
            this.next = next;
            this.loop = loop;
            this.done = done;
        }

        /**
         * Calls {@code onDone}: the stage it completed with before returning (a null one is a step's bug, answered
         * 500), or null when it completes later. An {@code onDone} that throws is answered 500.
         */
        Stage await(Stage.Pending pending) {
            try {
                pending.onDone(this);
            } catch (RuntimeException e) {
                STATE.compareAndSet(this, WAITING, RETURNED);
                return Rejection.serverError();
            }
            if (STATE.compareAndSet(this, WAITING, RETURNED)) {
                return null;
            }
            Stage answered = answer;
            return answered != null ? answered : Rejection.serverError();
        }

        @Override
        public void accept(Stage stage) {
            answer = stage;
            if (STATE.compareAndSet(this, WAITING, ANSWERED)) {
                return; // await goes on with it, on the loop, once onDone has returned
            }
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
