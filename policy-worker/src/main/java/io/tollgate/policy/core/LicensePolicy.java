package io.tollgate.policy.core;

/** The user's license must be known and not expired at check time. */
public final class LicensePolicy implements Policy {
    @Override
    public String name() {
        return "license";
    }

    @Override
    public PolicyResult evaluate(PolicyContext context) {
        Account account = context.account();
        if (account == null || account.licenseExpires() == null) {
            return PolicyResult.deny(name(), "no license");
        }
        if (!account.licenseExpires().isAfter(context.now())) {
            return PolicyResult.deny(name(), "license expired");
        }
        return PolicyResult.allow(name());
    }
}
