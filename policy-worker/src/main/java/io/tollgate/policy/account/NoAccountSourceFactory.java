package io.tollgate.policy.account;

import io.dropwizard.core.setup.Environment;

import java.util.Optional;

/**
 * {@code type: none}: every user exists and is enabled, so the {@code account-status} policy always allows (the
 * account check is off) and a {@code profile} licence is never there (use licence {@code http} or {@code none}).
 */
public class NoAccountSourceFactory implements AccountSourceFactory {
    @Override
    public AccountSource build(Environment environment) {
        return userId -> Optional.of(new AccountEntry(userId, false, null));
    }
}
