package io.tollgate.shared.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread factories of the executors the services, the local stack and the fixtures create themselves: named
 * daemon threads, so a thread dump says whose thread it is and a forgotten executor never keeps a JVM alive.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Daemon threads all called {@code name} (a single-thread executor, or a pool whose threads need no number). */
    public static ThreadFactory named(String name) {
        return r -> daemon(r, name);
    }

    /** Daemon threads called {@code prefix-1}, {@code prefix-2}, … in the order they are made. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger made = new AtomicInteger();
        return r -> daemon(r, prefix + "-" + made.incrementAndGet());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
