package io.tollgate.policy.account;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dropwizard.core.setup.Environment;
import io.tollgate.shared.idp.HttpIdentityClient;
import io.tollgate.shared.idp.HttpIdentityProviderSettings;
import jakarta.validation.constraints.AssertTrue;

/**
 * The HTTP identity provider, configured with token-api's keys ({@link HttpIdentityProviderSettings}); policy-worker
 * reads profiles only, so {@code profileUrl} is required ({@code url} still names the credential check, which the
 * health check probes unless {@code healthUrl} is set).
 */
public class HttpAccountSourceFactory extends HttpIdentityProviderSettings implements AccountSourceFactory {
    @AssertTrue(message = "profileUrl is required: policy-worker reads accounts from the profile endpoint")
    @JsonIgnore
    public boolean isProfileUrlPresent() {
        return profileUrl != null;
    }

    @Override
    public AccountSource build(Environment environment) {
        return build();
    }

    public HttpAccountSource build() {
        return new HttpAccountSource(new HttpIdentityClient(this));
    }
}
