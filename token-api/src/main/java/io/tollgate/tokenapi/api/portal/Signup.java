package io.tollgate.tokenapi.api.portal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

/** {@code POST /portal/api/signup}: the address to verify and the password chosen for the account. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Signup(
        @NotEmpty(message = Messages.REQUIRED) @Size(max = 254, message = Messages.TOO_LONG) String email,
        @Password String password) {
    /** The shortest password a developer may choose. */
    public static final int MIN_PASSWORD = 10;

    @Override
    public String toString() {
        return "Signup[email=" + email + ", password=[REDACTED]]";
    }
}
