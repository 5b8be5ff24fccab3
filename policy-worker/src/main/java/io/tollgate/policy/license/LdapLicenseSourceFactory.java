package io.tollgate.policy.license;

import io.tollgate.policy.ldap.DirectoryClient;

import java.util.Optional;

/** The license is the directory's {@code tollgateLicenseExpires} attribute (generalized time) of the user. */
public class LdapLicenseSourceFactory implements LicenseSourceFactory {
    @Override
    public LicenseSource build(DirectoryClient directory) {
        return (user, api) -> directory.find(user).flatMap(entry -> Optional.ofNullable(entry.licenseExpires()));
    }
}
