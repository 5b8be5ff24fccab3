package io.tollgate.testkit;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
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
