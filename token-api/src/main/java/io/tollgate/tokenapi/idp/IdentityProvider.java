package io.tollgate.tokenapi.idp;

import io.tollgate.shared.crypto.Secret;

import java.util.Optional;

/** Checks end-user credentials against the customer's user store. */
public interface IdentityProvider {

    /**
     * The canonical user id a typed name stands for, before any password is checked (lockout counts on it).
     *
     * @return the id when the provider knows the name; empty when it knows no such user; {@code null} when this
     *         provider cannot tell before a login succeeds
     * @throws IdentityProviderUnavailableException when no answer could be had
     */
    Optional<String> resolve(String username);

    /**
     * @return the identity when the credentials are right, its subject the provider's canonical user id (never
     *         the name as typed); empty when the user is unknown or the password wrong
     * @throws IdentityProviderUnavailableException when no answer could be had
     */
    Optional<Identity> authenticate(String username, Secret password);

    /**
     * The user's current identity without a password (re-checked on refresh), when the provider can tell.
     *
     * @return found, not found (the user no longer exists), or unsupported (this provider cannot look users up)
     * @throws IdentityProviderUnavailableException when no answer could be had
     */
    UserLookup lookup(String username);

    /** Throws {@link IdentityProviderUnavailableException} when the provider cannot be reached. */
    void ping();
}
