package io.tollgate.tokenapi.api.portal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

/** {@code POST /portal/api/verify}: the token from a sign-up mail and the password chosen at sign-up. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Verification(
        @NotEmpty(message = Messages.REQUIRED) @Size(max = 100, message = Messages.TOO_LONG) String token,
        @Password String password) {
    @Override
    public String toString() {
        return "Verification[token=[REDACTED], password=[REDACTED]]";
    }
}
