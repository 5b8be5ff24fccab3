package io.tollgate.policy.ldap;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.setup.Environment;
import io.tollgate.shared.ldap.LdapDirectoryFactory;
import jakarta.validation.constraints.NotEmpty;

/**
 * The LDAP directory policy-worker reads users from (account status, and the license in the demo): the shared
 * directory configuration ({@link LdapDirectoryFactory}, the same keys and TLS checks as token-api's identity
 * provider) plus the two attributes read.
 */
public class LdapFactory extends LdapDirectoryFactory {
    @NotEmpty
    @JsonProperty
    public String licenseAttribute = "tollgateLicenseExpires";

    /** Present (and not "false") means the account is disabled. */
    @NotEmpty
    @JsonProperty
    public String disabledAttribute = "pwdAccountLockedTime";

    public LdapFactory() {
        setMaxConnections(4);
    }

    /** A lazily connecting pool (the directory may start after us); closed with the service. */
    public DirectoryClient build(Environment environment) {
        return new DirectoryClient(build(environment, "tollgate-policy-worker"), this);
    }

    public DirectoryClient build() {
        return new DirectoryClient(buildPool("tollgate-policy-worker"), this);
    }
}
