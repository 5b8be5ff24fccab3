package io.tollgate.tokenapi.idp;

import io.dropwizard.core.setup.Environment;
import io.tollgate.shared.ldap.LdapDirectoryFactory;
import jakarta.validation.constraints.NotEmpty;

/**
 * An LDAP directory (UnboundID SDK): the shared directory configuration ({@link LdapDirectoryFactory}: servers,
 * TLS with host-name verification, service account, users) plus where groups are. A pool bound as the service
 * account searches the user by an escaped equality filter, then the user's DN is bound with the password on a pool
 * of its own ({@link #bindPool}), then the groups that list the user's DN as member are read.
 */
public class LdapIdentityProviderFactory extends LdapDirectoryFactory implements IdentityProviderFactory {

    @NotEmpty
    public String groupBaseDn = "ou=groups,dc=tollgate,dc=test";

    @NotEmpty
    public String groupObjectClass = "groupOfNames";

    @NotEmpty
    public String groupMemberAttribute = "member";

    @NotEmpty
    public String groupNameAttribute = "cn";

    public LdapIdentityProviderFactory() {
        super("tollgate-idp");
    }

    @Override
    public IdentityProvider build(Environment environment) {
        return new LdapIdentityProvider(pool(environment), bindPool(environment), this);
    }
}
