package io.tollgate.shared.auth;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Accounts from configuration by name, immutable: of two accounts with one name, the first counts. */
public final class AccountsByName {
    private final Map<String, Account> byName;

    public AccountsByName(List<Account> accounts) {
        this.byName = accounts.stream().collect(Collectors.toUnmodifiableMap(account -> account.name,
                Function.identity(), (first, repeated) -> first));
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    /** True when an account of this name is configured. */
    public boolean has(String name) {
        return name != null && byName.containsKey(name);
    }

    /** The account of this name, or null when there is none. */
    public Account get(String name) {
        return name == null ? null : byName.get(name);
    }
}
