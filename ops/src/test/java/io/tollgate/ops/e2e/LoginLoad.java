package io.tollgate.ops.e2e;

import io.tollgate.ops.e2e.MobileClient.Answer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A mobile-app load for fault tests: {@code threads} client threads each repeat one cycle (a password login of
 * a fresh bench user, two gateway calls, a refresh, one call with the refreshed token) and record every answer
 * with the phase of the test in which it was sent. Cycle {@code n} uses bench user {@code first + n % users},
 * so a user gets few calls (far below the plan's 60 per minute) and, while the cycles stay under
 * {@code 3 × users}, never more live families than the plan's device limit (no device-limit revocation
 * interferes with the load).
 */
final class LoginLoad implements AutoCloseable {
    enum Kind { LOGIN, REFRESH, CALL }

    /** One answer of the load: which request, for which user, in which phase, what came back. */
    record Op(Kind kind, String user, String family, String phase, Answer answer) {
    }

    private final MobileClient client;
    private final int first;
    private final int users;
    private final long pauseMillis;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger cycles = new AtomicInteger();
    private final Queue<Op> ops = new ConcurrentLinkedQueue<>();
    private volatile String phase = "before";
    private volatile boolean running;

    LoginLoad(MobileClient client, int first, int users, int threadCount, long pauseMillis) {
        this.client = client;
        this.first = first;
        this.users = users;
        this.pauseMillis = pauseMillis;
        for (int i = 0; i < threadCount; i++) {
            Thread thread = new Thread(this::run, "login-load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    static String user(int n) {
        return String.format("user%04d", n);
    }

    static String password(int n) {
        return String.format("pw-%04d", n);
    }

    LoginLoad start() {
        running = true;
        threads.forEach(Thread::start);
        return this;
    }

    /** The phase recorded with every request sent from now on. */
    void phase(String name) {
        phase = name;
    }

    int cycles() {
        return cycles.get();
    }

    /** Waits until {@code count} cycles have completed in total (bounded: a stuck load fails the test). */
    void awaitCycles(int count, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (cycles.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the load completed " + cycles.get() + " cycles, not " + count + ", within "
                        + bound + ": " + histogram(op -> true));
            }
            Thread.sleep(20);
        }
    }

    private void run() {
        while (running) {
            int n = first + next.getAndIncrement() % users;
            String user = user(n);
            String sent = phase;
            Answer login = client.login(user, password(n));
            record(Kind.LOGIN, user, login, sent);
            if (login.ok()) {
                String family = login.tokens().sid();
                call(user, family, login.tokens().access());
                call(user, family, login.tokens().access());
                sent = phase;
                Answer refreshed = client.refresh(login.tokens().refresh());
                record(Kind.REFRESH, user, family, refreshed, sent);
                if (refreshed.ok()) {
                    call(user, family, refreshed.tokens().access());
                }
            }
            cycles.incrementAndGet();
            pause();
        }
    }

    private void call(String user, String family, String access) {
        String sent = phase;
        record(Kind.CALL, user, family, client.call(access, "/mobile/load"), sent);
    }

    private void record(Kind kind, String user, Answer answer, String sentIn) {
        record(kind, user, answer.ok() ? answer.tokens().sid() : null, answer, sentIn);
    }

    private void record(Kind kind, String user, String family, Answer answer, String sentIn) {
        ops.add(new Op(kind, user, family, sentIn, answer));
    }

    private void pause() {
        try {
            Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    List<Op> ops() {
        return List.copyOf(ops);
    }

    List<Op> ops(Predicate<Op> filter) {
        return ops.stream().filter(filter).toList();
    }

    /** "LOGIN before 200 × 41, ..." for assertion messages and the report. */
    String histogram(Predicate<Op> filter) {
        Map<String, Long> counts = ops.stream().filter(filter).collect(Collectors.groupingBy(
                op -> op.kind() + " " + op.phase() + " " + op.answer().status()
                        + (op.answer().error() == null ? "" : " " + op.answer().error()),
                TreeMap::new, Collectors.counting()));
        return counts.entrySet().stream().map(e -> e.getKey() + " × " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(30_000);
        }
    }
}
