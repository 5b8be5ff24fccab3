package io.tollgate.shared.idp;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.tollgate.shared.crypto.Secret;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.net.URI;
import java.util.regex.Matcher;

/**
 * The one configuration shape of the customer's headless HTTP identity provider, read by token-api (credentials,
 * refresh re-check) and policy-worker (account and licence). See {@link HttpIdentityClient} for the contract.
 *
 * <ul>
 *   <li>{@code url}: the credential check, {@code POST} JSON {@code {"username","password"}};</li>
 *   <li>{@code profileUrl}: a template with {@code {sub}} (the URL-encoded canonical id), read with {@code GET};
 *       optional for token-api (without it refreshes are not re-checked), required by policy-worker;</li>
 *   <li>{@code healthUrl}: probed with {@code GET} by the health check (default {@code url}; any answer counts);</li>
 *   <li>{@code connectTimeout}, {@code requestTimeout}: a provider slower than this is unavailable;</li>
 *   <li>{@code retries}: further attempts of a failed profile read (never of the password check);</li>
 *   <li>{@code subjectField}, {@code groupsField}, {@code disabledField}, {@code licenseField}: the profile's
 *       field names;</li>
 *   <li>{@code authorization}: an optional {@code Authorization} header value sent on every call.</li>
 * </ul>
 */
public class HttpIdentityProviderSettings {
    @NotNull
    private URI url;

    private String profileUrl;

    private URI healthUrl;

    @NotNull
    private Duration connectTimeout = Duration.seconds(2);

    @NotNull
    private Duration requestTimeout = Duration.seconds(3);

    @Min(0)
    @Max(5)
    private int retries = 2;

    @NotEmpty
    private String subjectField = "sub";

    @NotEmpty
    private String groupsField = "groups";

    @NotEmpty
    private String disabledField = "disabled";

    @NotEmpty
    private String licenseField = "licenseExpires";

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
    public String getProfileUrl() {
        return profileUrl;
    }

    /**
     * {@code %7Bsub%7D} (the placeholder URL-encoded) is taken as {@code {sub}}: a YAML default such as
     * {@code ${TOLLGATE_IDP_PROFILE_URL:-http://idp/users/%7Bsub%7D}} must not hold a brace, which would end the
     * variable expression early.
     */
    @JsonProperty
    public void setProfileUrl(String profileUrl) {
        this.profileUrl = profileUrl == null || profileUrl.isBlank() ? null
                : profileUrl.replaceAll("(?i)%7Bsub%7D", Matcher.quoteReplacement(HttpIdentityClient.SUB));
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
    public int getRetries() {
        return retries;
    }

    @JsonProperty
    public void setRetries(int retries) {
        this.retries = retries;
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
    public String getDisabledField() {
        return disabledField;
    }

    @JsonProperty
    public void setDisabledField(String disabledField) {
        this.disabledField = disabledField;
    }

    @JsonProperty
    public String getLicenseField() {
        return licenseField;
    }

    @JsonProperty
    public void setLicenseField(String licenseField) {
        this.licenseField = licenseField;
    }

    @JsonProperty
    public Secret getAuthorization() {
        return authorization;
    }

    @JsonProperty
    public void setAuthorization(Secret authorization) {
        this.authorization = authorization;
    }

    /** A {@code profileUrl} must hold {@code {sub}}, or every user would read one profile. */
    @jakarta.validation.constraints.AssertTrue(message = "profileUrl must contain {sub}")
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isProfileUrlTemplated() {
        return profileUrl == null || profileUrl.contains(HttpIdentityClient.SUB);
    }
}
