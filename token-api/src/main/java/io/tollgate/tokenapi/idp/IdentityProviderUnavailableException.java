package io.tollgate.tokenapi.idp;

/** The identity provider could not give an answer (down, timeout, unexpected reply): never a wrong password. */
public class IdentityProviderUnavailableException extends RuntimeException {
    public IdentityProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public IdentityProviderUnavailableException(String message) {
        super(message);
    }
}
