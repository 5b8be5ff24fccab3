package io.tollgate.tokenapi.idp;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.setup.Environment;
import io.tollgate.shared.crypto.Secret;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.net.URI;
import io.dropwizard.util.Duration;

/**
 * A headless credential-check API: {@code POST url} with JSON {@code {"username","password"}}; a 2xx JSON
 * answer names the user's canonical id ({@code subjectField}, default {@code sub}; required: a 2xx without it
 * refuses the login, never falls back to the name as typed) and the groups ({@code groupsField}); 401/403 means
 * wrong credentials; anything else or a timeout means the provider is unavailable. {@code authorization} is an optional header value the IdP expects.
 */
public class HttpIdentityProviderFactory implements IdentityProviderFactory {
    @NotNull
    private URI url;

    /** Probed by the health check with GET; any HTTP answer counts as reachable. Default: {@code url}. */
    private URI healthUrl;

    @NotNull
    private Duration connectTimeout = Duration.seconds(2);

    @NotNull
    private Duration requestTimeout = Duration.seconds(3);

    @NotEmpty
    private String subjectField = "sub";

    @NotEmpty
    private String groupsField = "groups";

    private Secret authorization;

    @JsonProperty
    public URI getUrl() {
        return url;
    }

    @JsonProperty
    public void setUrl(URI url) {
        this.url = url;
    }

    @JsonProperty
    public URI getHealthUrl() {
        return healthUrl;
    }

    @JsonProperty
    public void setHealthUrl(URI healthUrl) {
        this.healthUrl = healthUrl;
    }

    @JsonProperty
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    @JsonProperty
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    @JsonProperty
    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    @JsonProperty
    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    @JsonProperty
    public String getSubjectField() {
        return subjectField;
    }

    @JsonProperty
    public void setSubjectField(String subjectField) {
        this.subjectField = subjectField;
    }

    @JsonProperty
    public String getGroupsField() {
        return groupsField;
    }

    @JsonProperty
    public void setGroupsField(String groupsField) {
        this.groupsField = groupsField;
    }

    @JsonProperty
    public Secret getAuthorization() {
        return authorization;
    }

    @JsonProperty
    public void setAuthorization(Secret authorization) {
        this.authorization = authorization;
    }

    @Override
    public IdentityProvider build(Environment environment) {
        return new HttpIdentityProvider(this, environment.getObjectMapper());
    }
}
