package io.tollgate.tokenapi.idp;

import io.tollgate.shared.crypto.Secret;

import java.util.Optional;

/** Checks end-user credentials against the customer's user store. */
public interface IdentityProvider {

    /**
     * The user a typed name stands for, before any password is checked (lockout counts on its
     * {@link Candidate#account()}).
     *
     * @throws IdentityProviderUnavailableException when no answer could be had
     */
    Candidate find(String username);

    /**
     * Checks the password of a user {@link #find} returned, without looking the user up again.
     *
     * @return the identity when the password is right, its subject the provider's canonical user id (never the name
     *         as typed); empty when the user is unknown or the password wrong
     * @throws IdentityProviderUnavailableException when no answer could be had
     */
    Optional<Identity> authenticate(Candidate candidate, Secret password);

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
