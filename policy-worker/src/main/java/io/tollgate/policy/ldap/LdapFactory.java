package io.tollgate.policy.ldap;

import io.dropwizard.core.setup.Environment;
import io.tollgate.policy.account.AccountSourceFactory;
import io.tollgate.shared.ldap.LdapDirectoryFactory;
import jakarta.validation.constraints.NotEmpty;

/**
 * {@code identityProvider.type: ldap}: the directory policy-worker reads users from (account status, and the licence
 * with licence type {@code profile}): the shared directory configuration ({@link LdapDirectoryFactory}, the same keys
 * and TLS checks as token-api's identity provider) plus the two attributes read.
 */
public class LdapFactory extends LdapDirectoryFactory implements AccountSourceFactory {
    @NotEmpty
    public String licenseAttribute = "tollgateLicenseExpires";

    /** Present (and not "false") means the account is disabled. */
    @NotEmpty
    public String disabledAttribute = "pwdAccountLockedTime";

    public LdapFactory() {
        super("tollgate-policy-worker");
        maxConnections = 4;
    }

    /** A lazily connecting pool (the directory may start after us); closed with the service. */
    @Override
    public DirectoryClient build(Environment environment) {
        return new DirectoryClient(pool(environment), this);
    }
}
