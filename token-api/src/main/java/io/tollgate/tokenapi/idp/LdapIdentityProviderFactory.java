package io.tollgate.tokenapi.idp;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.unboundid.ldap.sdk.DN;
import io.dropwizard.core.setup.Environment;
import io.tollgate.shared.ldap.LdapDirectoryFactory;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * An LDAP directory (UnboundID SDK): the shared directory configuration ({@link LdapDirectoryFactory}: servers,
 * TLS with host-name verification, service account, users) plus where groups are. A pool bound as the service
 * account searches the user by an escaped equality filter, then the user's DN is bound with the password on a pool
 * of its own ({@link #bindPool}). Groups come from where {@link #groupsFrom} says: a search for the groups that
 * list the user's DN as member, after the password is checked; or the user entry's {@link #memberOfAttribute},
 * read by the user search itself.
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

    /** Where a user's groups come from (Keycloak's "User Groups Retrieve Strategy"). */
    public enum GroupSource {
        /**
         * A search under {@code groupBaseDn} for {@code groupObjectClass} entries whose {@code groupMemberAttribute}
         * is the user's DN: any LDAP server.
         */
        @JsonProperty("memberSearch")
        MEMBER_SEARCH,
        /**
         * The user entry's {@code memberOfAttribute} (DNs of its groups), read with the user: directories that keep
         * reverse membership (Active Directory, OpenLDAP's memberof overlay, 389-DS's memberOf plugin).
         */
        @JsonProperty("memberOf")
        MEMBER_OF
    }

    @NotNull
    public GroupSource groupsFrom = GroupSource.MEMBER_SEARCH;

    /** The user entry's attribute that lists the DNs of its groups, for {@code groupsFrom: memberOf}. */
    @NotEmpty
    @Pattern(regexp = "[A-Za-z][A-Za-z0-9-]*|[0-9]+(\\.[0-9]+)+", message = "must be an LDAP attribute name or OID")
    public String memberOfAttribute = "memberOf";

    /** Groups are told apart by their DN's place under the group base: it has to be one. */
    @JsonIgnore
    @AssertTrue(message = "groupBaseDn must be a DN")
    public boolean isGroupBaseDnValid() {
        return groupBaseDn == null || DN.isValidDN(groupBaseDn);
    }

    public LdapIdentityProviderFactory() {
        super("tollgate-idp");
    }

    @Override
    public IdentityProvider build(Environment environment) {
        return new LdapIdentityProvider(pool(environment), bindPool(environment), this);
    }
}
