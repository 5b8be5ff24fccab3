package io.tollgate.ops.stack;

/** One part of the local stack, named, on the stack's configuration: started in order, stopped in reverse order. */
abstract class Part {
    protected final StackConfig config;
    private final String name;

    Part(String name, StackConfig config) {
        this.name = name;
        this.config = config;
    }

    public final String name() {
        return name;
    }

    /** Starts the part (without waiting for health beyond what the part itself needs). */
    public abstract void start() throws Exception;

    /** One health probe: true when the part answers as it should. */
    public abstract boolean healthy();

    /** Where to reach it, for the summary. */
    public abstract String endpoint();

    /** Its log file, or a note such as "in-process". */
    public abstract String log();

    /** Stops it if this stack started it; never throws. */
    public abstract void stop();

    /** True if the part is a process that has exited on its own (so waiting for health is pointless). */
    public boolean exited() {
        return false;
    }
}
