package io.tollgate.tokenapi.idp;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.setup.Environment;
import io.tollgate.shared.ldap.LdapDirectoryFactory;
import jakarta.validation.constraints.NotEmpty;

/**
 * An LDAP directory (UnboundID SDK): the shared directory configuration ({@link LdapDirectoryFactory}: servers,
 * TLS with host-name verification, service account, users) plus where groups are. A pool bound as the service
 * account searches the user by an escaped equality filter, then the user's DN is bound with the password, then
 * the groups that list the user's DN as member are read.
 */
public class LdapIdentityProviderFactory extends LdapDirectoryFactory implements IdentityProviderFactory {

    @NotEmpty
    private String groupBaseDn = "ou=groups,dc=tollgate,dc=test";

    @NotEmpty
    private String groupObjectClass = "groupOfNames";

    @NotEmpty
    private String groupMemberAttribute = "member";

    @NotEmpty
    private String groupNameAttribute = "cn";

    public LdapIdentityProviderFactory() {
        super("tollgate-idp");
    }

    @JsonProperty
    public String getGroupBaseDn() {
        return groupBaseDn;
    }

    @JsonProperty
    public void setGroupBaseDn(String groupBaseDn) {
        this.groupBaseDn = groupBaseDn;
    }

    @JsonProperty
    public String getGroupObjectClass() {
        return groupObjectClass;
    }

    @JsonProperty
    public void setGroupObjectClass(String groupObjectClass) {
        this.groupObjectClass = groupObjectClass;
    }

    @JsonProperty
    public String getGroupMemberAttribute() {
        return groupMemberAttribute;
    }

    @JsonProperty
    public void setGroupMemberAttribute(String groupMemberAttribute) {
        this.groupMemberAttribute = groupMemberAttribute;
    }

    @JsonProperty
    public String getGroupNameAttribute() {
        return groupNameAttribute;
    }

    @JsonProperty
    public void setGroupNameAttribute(String groupNameAttribute) {
        this.groupNameAttribute = groupNameAttribute;
    }

    @Override
    public IdentityProvider build(Environment environment) {
        return new LdapIdentityProvider(pool(environment), this);
    }
}
