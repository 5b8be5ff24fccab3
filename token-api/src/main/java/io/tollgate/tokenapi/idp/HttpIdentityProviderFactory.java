package io.tollgate.tokenapi.idp;

import io.dropwizard.core.setup.Environment;
import io.tollgate.shared.idp.HttpIdentityClient;
import io.tollgate.shared.idp.HttpIdentityProviderSettings;

/**
 * A headless HTTP identity provider: the shared configuration shape ({@link HttpIdentityProviderSettings}, the
 * same keys as policy-worker's) and contract ({@link HttpIdentityClient}). The credential check's 2xx answer must
 * name the user's canonical id ({@code subjectField}; a 2xx without it refuses the login, never falls back to the
 * name as typed); with a {@code profileUrl} every refresh re-reads the profile.
 */
public class HttpIdentityProviderFactory extends HttpIdentityProviderSettings implements IdentityProviderFactory {
    @Override
    public IdentityProvider build(Environment environment) {
        return new HttpIdentityProvider(new HttpIdentityClient(this));
    }
}
