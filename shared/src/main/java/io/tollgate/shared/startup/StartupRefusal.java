package io.tollgate.shared.startup;

/**
 * Why a service will not start with its configuration, in one line that names the setting (or environment
 * variable) to change. {@link RefusingServerCommand} prints the message alone, without a stack trace.
 */
public class StartupRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartupRefusal(String message) {
        super(message);
    }

    public StartupRefusal(String message, Throwable cause) {
        super(message, cause);
    }
}
