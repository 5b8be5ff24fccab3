package io.tollgate.shared.auth;

import jakarta.validation.constraints.NotEmpty;

/**
 * An account from configuration that authenticates with HTTP Basic (operators, resource servers):
 * a name and the PBKDF2 hash of its password ({@code PasswordHashes.hash}), never the password.
 */
public class Account {
    @NotEmpty
    public String name;

    @NotEmpty
    public String passwordHash;

    public Account() {
    }

    public Account(String name, String passwordHash) {
        this.name = name;
        this.passwordHash = passwordHash;
    }

    @Override
    public String toString() {
        return "Account[name=" + name + ", passwordHash=[REDACTED]]";
    }
}
