package io.tollgate.testkit;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The LDAP fixture speaks the real protocol over TCP: binds, searches, group membership. */
class LdapFixtureIT {

    @RegisterExtension
    static final LdapExtension LDAP = new LdapExtension();

    @Test
    void demoUsersBindWithTheirPasswordsOverTcp() throws LDAPException {
        try (LDAPConnection connection = new LDAPConnection(LDAP.host(), LDAP.port())) {
            assertThat(connection.bind("uid=alice," + LdapDirectory.USERS_DN, "alice-secret").getResultCode())
                    .isEqualTo(ResultCode.SUCCESS);
            assertThatThrownBy(() -> connection.bind("uid=alice," + LdapDirectory.USERS_DN, "wrong"))
                    .isInstanceOfSatisfying(LDAPException.class,
                            e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS));
        }
    }

    @Test
    void groupsAndLicensesAreAsTheDesignSays() throws LDAPException {
        try (LDAPConnection connection = new LDAPConnection(LDAP.host(), LDAP.port(),
                LdapDirectory.ADMIN_DN, LdapDirectory.ADMIN_PASSWORD)) {
            var members = connection.search(LdapDirectory.GROUPS_DN, SearchScope.SUB,
                    Filter.createEqualityFilter("cn", "mobile-users"), "member").getSearchEntries().get(0)
                    .getAttributeValues("member");
            assertThat(members).contains("uid=alice," + LdapDirectory.USERS_DN, "uid=dave," + LdapDirectory.USERS_DN)
                    .doesNotContain("uid=carol," + LdapDirectory.USERS_DN);
            var dave = connection.getEntry("uid=dave," + LdapDirectory.USERS_DN);
            assertThat(dave.getAttributeValue("tollgateLicenseExpires")).startsWith("2024");
        }
    }

    @Test
    void benchUsersBindAndBelongToTheGroup() throws LDAPException {
        try (LdapDirectory directory = LdapDirectory.demo().addBenchUsers(50);
             LDAPConnection connection = new LDAPConnection("127.0.0.1", directory.port())) {
            assertThat(connection.bind("uid=user0050," + LdapDirectory.USERS_DN, "pw-0050").getResultCode())
                    .isEqualTo(ResultCode.SUCCESS);
            assertThat(directory.server().getEntry("cn=mobile-users," + LdapDirectory.GROUPS_DN)
                    .getAttributeValues("member")).contains("uid=user0001," + LdapDirectory.USERS_DN);
        }
    }

    static final String GROUP = "cn=mobile-users," + LdapDirectory.GROUPS_DN;

    static String user(String uid) {
        return "uid=" + uid + "," + LdapDirectory.USERS_DN;
    }

    /** The entry's memberOf values as the directory returns them to a client that asks for it by name. */
    static String[] memberOf(LDAPConnection connection, String dn) throws LDAPException {
        String[] values = connection.getEntry(dn, "memberOf").getAttributeValues("memberOf");
        return values == null ? new String[0] : values;
    }

    static LDAPConnection admin(LdapDirectory directory) throws LDAPException {
        return new LDAPConnection("127.0.0.1", directory.port(), LdapDirectory.ADMIN_DN, LdapDirectory.ADMIN_PASSWORD);
    }

    @Test
    void memberEntriesCarryMemberOfAfterLoadingAndAfterBenchUsers() throws LDAPException {
        try (LdapDirectory directory = LdapDirectory.demo().addBenchUsers(20);
             LDAPConnection connection = admin(directory)) {
            assertThat(memberOf(connection, user("alice"))).containsExactly(GROUP);
            assertThat(memberOf(connection, user("user0020"))).containsExactly(GROUP);
            assertThat(memberOf(connection, user("carol"))).isEmpty();
            assertThat(connection.getEntry(user("alice")).hasAttribute("memberOf"))
                    .as("operational: returned only when asked for").isFalse();
        }
    }

    @Test
    void memberOfFollowsMembersRemovedAndAddedOverLdap() throws LDAPException {
        try (LdapDirectory directory = LdapDirectory.demo(); LDAPConnection connection = admin(directory)) {
            connection.modify(GROUP, new Modification(ModificationType.DELETE, "member", user("erin")));
            assertThat(memberOf(connection, user("erin"))).isEmpty();
            assertThat(memberOf(connection, user("alice"))).containsExactly(GROUP);
            connection.modify(GROUP, new Modification(ModificationType.ADD, "member", user("erin"), user("carol")));
            assertThat(memberOf(connection, user("erin"))).containsExactly(GROUP);
            assertThat(memberOf(connection, user("carol"))).containsExactly(GROUP);
        }
    }

    @Test
    void memberOfFollowsGroupsAddedRenamedAndDeletedOverLdap() throws LDAPException {
        String auditors = "cn=auditors," + LdapDirectory.GROUPS_DN;
        String renamed = "cn=reviewers," + LdapDirectory.GROUPS_DN;
        try (LdapDirectory directory = LdapDirectory.demo(); LDAPConnection connection = admin(directory)) {
            connection.add(new Entry(auditors, new Attribute("objectClass", "top", "groupOfNames"),
                    new Attribute("cn", "auditors"), new Attribute("member", user("alice"), user("carol"))));
            assertThat(memberOf(connection, user("alice"))).containsExactlyInAnyOrder(GROUP, auditors);
            assertThat(memberOf(connection, user("carol"))).containsExactly(auditors);

            connection.modifyDN(auditors, "cn=reviewers", true);
            assertThat(memberOf(connection, user("alice"))).containsExactlyInAnyOrder(GROUP, renamed);
            assertThat(memberOf(connection, user("carol"))).containsExactly(renamed);

            connection.delete(renamed);
            assertThat(memberOf(connection, user("alice"))).containsExactly(GROUP);
            assertThat(memberOf(connection, user("carol"))).isEmpty();

            connection.delete(GROUP);
            assertThat(memberOf(connection, user("alice"))).isEmpty();
            assertThat(memberOf(connection, user("bob"))).isEmpty();
        }
    }

    @Test
    void clientsCannotWriteMemberOf() throws LDAPException {
        try (LdapDirectory directory = LdapDirectory.demo(); LDAPConnection connection = admin(directory)) {
            assertThatThrownBy(() -> connection.modify(user("carol"),
                    new Modification(ModificationType.ADD, "memberOf", GROUP)))
                    .isInstanceOfSatisfying(LDAPException.class,
                            e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.CONSTRAINT_VIOLATION));
            assertThatThrownBy(() -> connection.add(new Entry(user("mallory"),
                    new Attribute("objectClass", "top", "inetOrgPerson"), new Attribute("uid", "mallory"),
                    new Attribute("cn", "Mallory"), new Attribute("sn", "Mallory"),
                    new Attribute("memberOf", GROUP))))
                    .isInstanceOfSatisfying(LDAPException.class,
                            e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.CONSTRAINT_VIOLATION));
            assertThat(memberOf(connection, user("carol"))).isEmpty();
            assertThat(connection.getEntry(user("mallory"))).isNull();
        }
    }

    @Test
    void directWritesToTheServerLeaveMemberOfUntilRefreshed() throws LDAPException {
        try (LdapDirectory directory = LdapDirectory.demo(); LDAPConnection connection = admin(directory)) {
            directory.server().modify(GROUP, new Modification(ModificationType.DELETE, "member", user("erin")));
            assertThat(memberOf(connection, user("erin"))).containsExactly(GROUP);
            directory.refreshMemberOf();
            assertThat(memberOf(connection, user("erin"))).isEmpty();
        }
    }

    @Test
    void aStartedDirectoryCountsTheOperationsClientsSend() throws LDAPException {
        try (LdapDirectory directory = LdapDirectory.demo();
             LDAPConnection connection = new LDAPConnection("127.0.0.1", directory.port())) {
            connection.bind("uid=alice," + LdapDirectory.USERS_DN, "alice-secret");
            connection.getEntry("uid=alice," + LdapDirectory.USERS_DN, "uid");
            assertThat(directory.operations()).containsEntry("bind", 1L).containsEntry("search", 1L);
        }
    }

    @Test
    void aServedDirectoryAnswersWithoutCountingOperations() throws LDAPException {
        try (LdapDirectory directory = LdapDirectory.serve(0, LdapDirectory.DEMO_LDIF);
             LDAPConnection connection = new LDAPConnection("127.0.0.1", directory.port())) {
            assertThat(connection.bind("uid=alice," + LdapDirectory.USERS_DN, "alice-secret").getResultCode())
                    .isEqualTo(ResultCode.SUCCESS);
            assertThatThrownBy(directory::operations).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void suspendMakesTheDirectoryUnreachable() throws LDAPException {
        LDAP.directory().suspend();
        try {
            assertThatThrownBy(() -> new LDAPConnection(LDAP.host(), LDAP.port()).close())
                    .isInstanceOf(LDAPException.class);
        } finally {
            LDAP.directory().resume();
        }
        try (LDAPConnection connection = new LDAPConnection(LDAP.host(), LDAP.port())) {
            assertThat(connection.isConnected()).isTrue();
        }
    }
}
