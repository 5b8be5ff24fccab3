package io.tollgate.shared.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;

/**
 * An account from configuration that authenticates with HTTP Basic (operators, resource servers):
 * a name and the PBKDF2 hash of its password ({@code PasswordHashes.hash}), never the password.
 */
public class Account {
    @NotEmpty
    private String name;

    @NotEmpty
    private String passwordHash;

    public Account() {
    }

    public Account(String name, String passwordHash) {
        this.name = name;
        this.passwordHash = passwordHash;
    }

    @JsonProperty
    public String getName() {
        return name;
    }

    @JsonProperty
    public void setName(String name) {
        this.name = name;
    }

    @JsonProperty
    public String getPasswordHash() {
        return passwordHash;
    }

    @JsonProperty
    public void setPasswordHash(String passwordHash) {
        this.passwordHash = passwordHash;
    }

    @Override
    public String toString() {
        return "Account[name=" + name + ", passwordHash=[REDACTED]]";
    }
}
