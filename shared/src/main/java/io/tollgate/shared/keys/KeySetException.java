package io.tollgate.shared.keys;

/** A key set change that is refused, or a key set file that cannot be used; the message says why. */
public final class KeySetException extends IllegalArgumentException {
    private final boolean forcible;

    public KeySetException(String message) {
        this(message, false);
    }

    public KeySetException(String message, Throwable cause) {
        super(message, cause);
        this.forcible = false;
    }

    private KeySetException(String message, boolean forcible) {
        super(message);
        this.forcible = forcible;
    }

    /** A refusal for the operator's safety (too early) that an operator who knows better may override. */
    static KeySetException tooEarly(String message) {
        return new KeySetException(message, true);
    }

    /** Whether the change may be forced: the refusal protects tokens or gateways, not the set's consistency. */
    public boolean forcible() {
        return forcible;
    }
}
