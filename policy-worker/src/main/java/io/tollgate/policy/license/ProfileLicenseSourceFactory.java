package io.tollgate.policy.license;

import java.util.Optional;

/**
 * {@code type: profile} (the default): the licence the identity provider holds with the account, read in the same
 * lookup (LDAP {@code licenseAttribute}, generalized time; HTTP profile {@code licenseField}, ISO-8601).
 */
public class ProfileLicenseSourceFactory implements LicenseSourceFactory {
    @Override
    public LicenseSource build() {
        return (account, api) -> Optional.ofNullable(account.licenseExpires());
    }
}
