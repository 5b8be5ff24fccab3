package io.tollgate.tokenapi.idp;

import io.tollgate.shared.crypto.Secret;
import io.tollgate.shared.idp.HttpIdentityClient;
import io.tollgate.shared.idp.IdentityProfile;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Credentials checked, and (with a {@code profileUrl}) users looked up, by a headless HTTP API (see
 * {@link HttpIdentityProviderFactory}). A disabled profile is no identity, at login as on refresh: the same outcome
 * as a locked LDAP account, whose bind fails.
 */
public final class HttpIdentityProvider implements IdentityProvider {
    private final HttpIdentityClient client;

    public HttpIdentityProvider(HttpIdentityClient client) {
        this.client = client;
    }

    /** A credential-check API names the user only once the password is right (and must not tell who exists). */
    @Override
    public Candidate find(String username) {
        return Candidate.unresolved(username == null ? "" : username);
    }

    @Override
    public Optional<Identity> authenticate(Candidate candidate, Secret password) {
        String username = candidate.account();
        if (password == null || password.isEmpty() || username.isBlank()
                || candidate.status() == Candidate.Status.UNKNOWN) {
            return Optional.empty();
        }
        return call(() -> client.check(username, password)).filter(p -> !p.disabled())
                .map(HttpIdentityProvider::identity);
    }

    /**
     * The profile of the canonical id: not found when the provider has no such user or the account is disabled;
     * unsupported (cannot look users up) without a {@code profileUrl}.
     */
    @Override
    public UserLookup lookup(String username) {
        if (!client.readsProfiles()) {
            return UserLookup.unsupported();
        }
        if (username == null || username.isBlank()) {
            return UserLookup.notFound();
        }
        return call(() -> client.profile(username)).filter(p -> !p.disabled()).map(HttpIdentityProvider::identity)
                .map(UserLookup::found).orElse(UserLookup.notFound());
    }

    @Override
    public void ping() {
        call(() -> {
            client.ping();
            return null;
        });
    }

    private static Identity identity(IdentityProfile profile) {
        return new Identity(profile.subject(), profile.groups());
    }

    private static <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (io.tollgate.shared.idp.IdentityProviderUnavailableException e) {
            throw new IdentityProviderUnavailableException(e.getMessage(), e);
        }
    }
}
