package io.tollgate.tokenapi.api.portal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * {@code NewApp}: a just registered application, with its client secret (confidential clients only) in this one
 * answer; only the secret's hash is kept.
 */
public record NewAppView(@JsonUnwrapped AppView app,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String clientSecret) {
    @Override
    public String toString() {
        return "NewAppView[app=" + app + ", clientSecret=" + (clientSecret == null ? null : "[REDACTED]") + "]";
    }
}
