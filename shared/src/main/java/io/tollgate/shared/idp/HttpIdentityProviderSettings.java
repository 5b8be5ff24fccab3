package io.tollgate.shared.idp;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.util.StdConverter;
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
    public URI url;

    /**
     * {@code %7Bsub%7D} (the placeholder URL-encoded) is taken as {@code {sub}}: a YAML default such as
     * {@code ${TOLLGATE_IDP_PROFILE_URL:-http://idp/users/%7Bsub%7D}} must not hold a brace, which would end the
     * variable expression early. A blank value is none.
     */
    @JsonDeserialize(converter = ProfileUrlTemplate.class)
    public String profileUrl;

    public URI healthUrl;

    @NotNull
    public Duration connectTimeout = Duration.seconds(2);

    @NotNull
    public Duration requestTimeout = Duration.seconds(3);

    @Min(0)
    @Max(5)
    public int retries = 2;

    @NotEmpty
    public String subjectField = "sub";

    @NotEmpty
    public String groupsField = "groups";

    @NotEmpty
    public String disabledField = "disabled";

    @NotEmpty
    public String licenseField = "licenseExpires";

    public Secret authorization;

    /** A {@code profileUrl} must hold {@code {sub}}, or every user would read one profile. */
    @jakarta.validation.constraints.AssertTrue(message = "profileUrl must contain {sub}")
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isProfileUrlTemplated() {
        return profileUrl == null || profileUrl.contains(HttpIdentityClient.SUB);
    }

    /** Reads {@code profileUrl}: blank is none, {@code %7Bsub%7D} is {@code {sub}}. */
    static final class ProfileUrlTemplate extends StdConverter<String, String> {
        @Override
        public String convert(String profileUrl) {
            return profileUrl == null || profileUrl.isBlank() ? null
                    : profileUrl.replaceAll("(?i)%7Bsub%7D", Matcher.quoteReplacement(HttpIdentityClient.SUB));
        }
    }
}
