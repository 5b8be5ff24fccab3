package io.tollgate.policy.core;

/** The user must still exist in the identity provider and not be disabled. */
public final class AccountStatusPolicy implements Policy {
    @Override
    public String name() {
        return "account-status";
    }

    @Override
    public PolicyResult evaluate(PolicyContext context) {
        Account account = context.account();
        if (account == null || !account.exists()) {
            return PolicyResult.deny(name(), "account not found");
        }
        if (account.disabled()) {
            return PolicyResult.deny(name(), "account disabled");
        }
        return PolicyResult.allow(name());
    }
}
