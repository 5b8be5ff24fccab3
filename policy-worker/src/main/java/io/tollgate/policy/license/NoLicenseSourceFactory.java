package io.tollgate.policy.license;

import java.util.Optional;

/** {@code type: none}: licences are not enforced (the {@code license} policy does not run). */
public class NoLicenseSourceFactory implements LicenseSourceFactory {
    @Override
    public LicenseSource build() {
        return (account, api) -> Optional.empty();
    }

    @Override
    public boolean enforced() {
        return false;
    }
}
