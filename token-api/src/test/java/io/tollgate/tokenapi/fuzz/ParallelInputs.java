package io.tollgate.tokenapi.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fuzzers' run loop: inputs {@code 0..n-1} from 8 threads at once (so the server meets them concurrently, as in
 * production, and 10,000 of them take seconds), each input's number deciding its content alone so that a seed
 * replays the run; the first 50 problems are kept, enough to see a pattern without drowning the report.
 */
final class ParallelInputs {
    private static final int THREADS = 8;
    private static final int KEPT_FAILURES = 50;

    private ParallelInputs() {
    }

    /** Sends input {@code id} and judges the answer: a description of what is wrong with it, or null. */
    interface Input {
        String check(int id) throws Exception;
    }

    /** A problem as the report shows it, or null for none: {@code request} is a short form of what was sent. */
    static String describe(int id, String kind, String problem, String request) {
        return problem == null ? null : "input " + id + " (" + kind + "): " + problem + " <- " + request;
    }

    /** Runs every input (an input that throws fails the run) and returns the problems found. */
    static Queue<String> run(int inputs, Input input) throws Exception {
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    int id;
                    while ((id = next.getAndIncrement()) < inputs) {
                        String problem = input.check(id);
                        if (problem != null && failures.size() < KEPT_FAILURES) {
                            failures.add(problem);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return failures;
    }
}
