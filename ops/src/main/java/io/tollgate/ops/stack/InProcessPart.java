package io.tollgate.ops.stack;

/**
 * A stack part that runs in the launcher's own JVM (the demo upstream, the demo identity providers): started by
 * {@link #open()}, stopped by closing what it returned, logging to the launcher's console.
 */
abstract class InProcessPart<T extends AutoCloseable> extends Part {
    private T running;

    InProcessPart(String name, StackConfig config) {
        super(name, config);
    }

    /** Starts the server in this JVM. */
    protected abstract T open() throws Exception;

    /** The running server; null before start and after stop. */
    protected final T running() {
        return running;
    }

    @Override
    public final void start() throws Exception {
        running = open();
    }

    @Override
    public final String log() {
        return "(in-process)";
    }

    @Override
    public final void stop() {
        if (running == null) {
            return;
        }
        try {
            running.close();
        } catch (Exception e) {
            throw new IllegalStateException(name() + " did not close", e); // their close() throws nothing checked
        } finally {
            running = null;
        }
    }
}
