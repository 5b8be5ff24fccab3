package io.tollgate.cli;

/** An expected failure: its message is printed as is, and the command exits non-zero. */
public final class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(String message) {
        this(message, 1);
    }

    public CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
