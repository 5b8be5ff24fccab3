package io.tollgate.policy.core;

/**
 * An account or licence source could not answer (down, slow past its timeout, an answer outside its contract).
 * Never a verdict: the policy loop retries the record until the source answers, then decides.
 */
public class SourceUnavailableException extends RuntimeException {
    public SourceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public SourceUnavailableException(String message) {
        super(message);
    }
}
