package io.tollgate.gateway.core;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The one execution model: every step's {@link Stage} is honoured by the pipeline's loop, in order. */
class PipelineTest {
    private final List<String> ran = new ArrayList<>();
    /** Tasks handed to the "event loop", run when the test says so. */
    private final List<Runnable> loop = new ArrayList<>();
    private final AtomicReference<Object> verdict = new AtomicReference<>();

    private Step step(String name, Stage stage) {
        return exchange -> {
            ran.add(name);
            return stage;
        };
    }

    private void run(Step... steps) {
        Exchange exchange = new Exchange("GET", "/a", new DefaultHttpHeaders(), "id", 0);
        new Pipeline(List.of(steps)).run(exchange, loop::add, rejection -> verdict.set(rejection == null ? "proxy"
                : rejection));
    }

    private void drainLoop() {
        while (!loop.isEmpty()) {
            loop.remove(0).run();
        }
    }

    @Test
    void everyStepGoesOnAndTheRequestIsProxied() {
        run(step("a", Stage.NEXT), step("b", Stage.NEXT));
        assertThat(ran).containsExactly("a", "b");
        assertThat(verdict.get()).isEqualTo("proxy");
    }

    @Test
    void theFirstRejectionIsTheAnswerAndNoLaterStepRuns() {
        Rejection forbidden = Rejection.forbidden("no");
        run(step("a", Stage.NEXT), step("b", forbidden), step("c", Stage.NEXT));
        assertThat(ran).containsExactly("a", "b");
        assertThat(verdict.get()).isSameAs(forbidden);
    }

    @Test
    void aPendingStepResumesOnTheLoopWithTheNextStepOnlyOnceItCompletes() {
        AtomicReference<Consumer<Stage>> completion = new AtomicReference<>();
        run(step("a", Stage.NEXT), step("b", (Stage.Pending) completion::set), step("c", Stage.NEXT));
        assertThat(ran).containsExactly("a", "b");
        assertThat(verdict.get()).isNull();

        completion.get().accept(Stage.NEXT);
        assertThat(ran).containsExactly("a", "b"); // resumed from the loop's queue, not on the completing thread
        drainLoop();
        assertThat(ran).containsExactly("a", "b", "c");
        assertThat(verdict.get()).isEqualTo("proxy");
    }

    @Test
    void aPendingStepThatCompletesBeforeItsOnDoneReturnsGoesOnAtOnceAfterIt() {
        List<String> inOnDone = new ArrayList<>();
        run(step("a", Stage.NEXT), step("b", (Stage.Pending) done -> {
            done.accept(Stage.NEXT);
            inOnDone.addAll(ran); // the next step waits for onDone to return
        }), step("c", Stage.NEXT));
        assertThat(inOnDone).containsExactly("a", "b");
        assertThat(loop).isEmpty(); // no task queued
        assertThat(ran).containsExactly("a", "b", "c");
        assertThat(verdict.get()).isEqualTo("proxy");
    }

    @Test
    void aPendingStepThatCompletesWithARejectionEndsTheRequest() {
        Rejection limited = Rejection.rateLimited(3, RateLimitFields.NONE);
        run(step("a", (Stage.Pending) done -> done.accept(limited)), step("b", Stage.NEXT));
        drainLoop();
        assertThat(ran).containsExactly("a");
        assertThat(verdict.get()).isSameAs(limited);
    }

    @Test
    void aPendingStepThatCompletesWithAnythingElseIsDenied() {
        run(step("a", (Stage.Pending) done -> done.accept(null)), step("b", Stage.NEXT));
        drainLoop();
        assertThat(ran).containsExactly("a");
        assertThat(verdict.get()).isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.status()).isEqualTo(500));
    }

    @Test
    void aPendingStepThatCompletesWithNothingBeforeItsOnDoneReturnsIsDenied() {
        run(step("a", (Stage.Pending) done -> done.accept(null)), step("b", Stage.NEXT));
        assertThat(ran).containsExactly("a");
        assertThat(verdict.get()).isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.status()).isEqualTo(500));
    }

    @Test
    void aPendingStepWhoseOnDoneThrowsIsAnswered500() {
        run(step("a", (Stage.Pending) done -> {
            done.accept(Stage.NEXT);
            throw new IllegalStateException("bug");
        }), step("b", Stage.NEXT));
        drainLoop();
        assertThat(ran).containsExactly("a");
        assertThat(verdict.get()).isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.status()).isEqualTo(500));
    }

    @Test
    void aStepThatThrowsIsAnswered500AndNoLaterStepRuns() {
        Step broken = exchange -> {
            ran.add("broken");
            throw new IllegalStateException("bug");
        };
        run(broken, step("b", Stage.NEXT));
        assertThat(ran).containsExactly("broken");
        assertThat(verdict.get()).isInstanceOfSatisfying(Rejection.class, r -> {
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.error()).isEqualTo("server_error");
        });
    }
}
