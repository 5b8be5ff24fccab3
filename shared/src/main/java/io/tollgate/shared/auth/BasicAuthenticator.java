package io.tollgate.shared.auth;

import java.util.Optional;

/**
 * Checks the HTTP Basic credentials of a request against a set of accounts, counting wrong passwords per client
 * address and refusing a locked address without hashing. {@link BasicAccounts} is the in-memory one of the admin
 * ports; token-api's is its one client authenticator (Redis-backed guard shared by every endpoint that checks a
 * secret).
 */
public interface BasicAuthenticator {
    /** The accounts whose credentials it accepts. */
    AccountsByName accounts();

    /** True when no account is configured: nobody can authenticate. */
    default boolean isEmpty() {
        return accounts().isEmpty();
    }

    /** True when an account of this name is configured. */
    default boolean has(String name) {
        return accounts().has(name);
    }

    /** What the {@code Authorization} header's credentials are, counted against {@code address}. */
    BasicAccounts.Check check(String authorization, String address);

    /** The account name, when the header carries valid Basic credentials of a configured account. */
    default Optional<String> authenticate(String authorization, String address) {
        BasicAccounts.Check check = check(authorization, address);
        return check.result() == BasicAccounts.Result.AUTHENTICATED ? Optional.of(check.name()) : Optional.empty();
    }
}
