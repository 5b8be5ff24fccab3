package io.tollgate.tokenapi.auth;

import io.tollgate.tokenapi.config.Account;
import io.tollgate.tokenapi.core.SecretVerifier;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** HTTP Basic authentication against accounts from configuration (operators, resource servers). */
public final class BasicAccounts {
    private final Map<String, Account> accounts;
    private final SecretVerifier verifier;

    public BasicAccounts(List<Account> accounts, SecretVerifier verifier) {
        this.accounts = accounts.stream().collect(Collectors.toUnmodifiableMap(Account::getName, Function.identity(),
                (a, b) -> a));
        this.verifier = verifier;
    }

    /** True when an account of this name is configured. */
    public boolean has(String name) {
        return name != null && accounts.containsKey(name);
    }

    /** The account name, when the header carries valid Basic credentials of a configured account. */
    public Optional<String> authenticate(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Basic")) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(parts[1].trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String name = decoded.substring(0, colon);
        Account account = accounts.get(name);
        if (account == null) {
            // Same work for unknown names, so timing does not reveal which accounts exist.
            verifier.verify(decoded.substring(colon + 1), DUMMY);
            return Optional.empty();
        }
        return verifier.verify(decoded.substring(colon + 1), account.getPasswordHash()) ? Optional.of(name)
                : Optional.empty();
    }

    private static final String DUMMY =
            "pbkdf2-sha256$210000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
}
