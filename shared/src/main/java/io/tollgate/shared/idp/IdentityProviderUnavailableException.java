package io.tollgate.shared.idp;

/**
 * The HTTP identity provider gave no answer that counts (5xx, timeout, refused connection, not JSON, no usable
 * subject): never a wrong password, never "no such user".
 */
public class IdentityProviderUnavailableException extends RuntimeException {
    public IdentityProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public IdentityProviderUnavailableException(String message) {
        super(message);
    }
}
