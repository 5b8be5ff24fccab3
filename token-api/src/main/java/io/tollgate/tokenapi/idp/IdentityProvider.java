package io.tollgate.tokenapi.idp;

import io.tollgate.shared.crypto.Secret;

import java.util.Optional;

/** Checks end-user credentials against the customer's user store. */
public interface IdentityProvider {

    /**
     * @return the identity when the credentials are right; empty when the user is unknown or the password wrong
     * @throws IdentityProviderUnavailableException when no answer could be had
     */
    Optional<Identity> authenticate(String username, Secret password);

    /**
     * The user's current identity without a password (re-checked on refresh), when the provider can tell.
     *
     * @return empty when the user no longer exists; {@code null} when this provider cannot look users up
     */
    Optional<Identity> lookup(String username);

    /** Throws {@link IdentityProviderUnavailableException} when the provider cannot be reached. */
    void ping();
}
