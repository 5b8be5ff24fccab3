package io.tollgate.ops.stack;

/** One part of the local stack: started in order, stopped in reverse order. */
interface Part {
    String name();

    /** Starts the part (without waiting for health beyond what the part itself needs). */
    void start() throws Exception;

    /** One health probe: true when the part answers as it should. */
    boolean healthy();

    /** Where to reach it, for the summary. */
    String endpoint();

    /** Its log file, or a note such as "in-process". */
    String log();

    /** Stops it if this stack started it; never throws. */
    void stop();

    /** True if the part is a process that has exited on its own (so waiting for health is pointless). */
    default boolean exited() {
        return false;
    }
}
