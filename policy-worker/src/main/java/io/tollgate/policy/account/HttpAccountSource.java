package io.tollgate.policy.account;

import io.tollgate.policy.core.SourceUnavailableException;
import io.tollgate.shared.idp.HttpIdentityClient;
import io.tollgate.shared.idp.IdentityProviderUnavailableException;

import java.util.Optional;

/**
 * Accounts from the HTTP identity provider's profile endpoint ({@code GET profileUrl}, {@code {sub}} = the
 * canonical id): 404 is "no such user"; an outage, after the client's retries, is {@link SourceUnavailableException}.
 */
public final class HttpAccountSource implements AccountSource {
    private final HttpIdentityClient client;

    public HttpAccountSource(HttpIdentityClient client) {
        this.client = client;
    }

    @Override
    public Optional<AccountEntry> find(String userId) {
        try {
            return client.profile(userId)
                    .map(profile -> new AccountEntry(profile.subject(), profile.disabled(), profile.licenseExpires()));
        } catch (IdentityProviderUnavailableException e) {
            throw new SourceUnavailableException("identity provider: " + e.getMessage(), e);
        }
    }
}
