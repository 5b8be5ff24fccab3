package io.tollgate.tokenapi.api.portal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

/** {@code POST /portal/api/login}: a developer's or an operator's name and password. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Login(
        @NotEmpty(message = Messages.REQUIRED) @Size(max = 254, message = Messages.TOO_LONG) String email,
        @Password String password) {
    @Override
    public String toString() {
        return "Login[email=" + email + ", password=[REDACTED]]";
    }
}
