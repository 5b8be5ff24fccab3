package io.tollgate.tokenapi.idp;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import io.tollgate.shared.crypto.Secret;
import io.tollgate.tokenapi.idp.LdapIdentityProviderFactory.GroupSource;
import io.tollgate.testkit.LdapDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both places groups come from ({@link LdapIdentityProviderFactory#groupsFrom}) against a real directory that keeps
 * memberOf (testkit's {@link LdapDirectory}): the same identities, and the directory operations each one costs.
 */
class LdapGroupSourcesIT {
    static final String GROUP = "cn=mobile-users," + LdapDirectory.GROUPS_DN;

    LdapDirectory directory;
    final List<LDAPConnectionPool> pools = new ArrayList<>();

    @BeforeEach
    void start() {
        directory = LdapDirectory.demo();
    }

    @AfterEach
    void stop() {
        pools.forEach(LDAPConnectionPool::close);
        directory.close();
    }

    IdentityProvider provider(GroupSource source) {
        LdapIdentityProviderFactory f = new LdapIdentityProviderFactory();
        f.urls = List.of(directory.url());
        f.bindDn = LdapDirectory.ADMIN_DN;
        f.bindPassword = Secret.of(LdapDirectory.ADMIN_PASSWORD);
        f.groupsFrom = source;
        LDAPConnectionPool searches = f.pool();
        LDAPConnectionPool binds = f.bindPool();
        pools.add(searches);
        pools.add(binds);
        return new LdapIdentityProvider(searches, binds, f);
    }

    Optional<Identity> login(IdentityProvider idp, String user, String password) {
        return idp.authenticate(idp.find(user), Secret.of(password));
    }

    /** The operations the directory served while {@code work} ran, by type. */
    Map<String, Long> operations(Runnable work) {
        Map<String, Long> before = directory.operations();
        work.run();
        Map<String, Long> out = new TreeMap<>();
        directory.operations().forEach((type, count) -> {
            long delta = count - before.getOrDefault(type, 0L);
            if (delta != 0) {
                out.put(type, delta);
            }
        });
        return out;
    }

    LDAPConnection admin() throws Exception {
        LDAPConnection connection = directory.connect();
        connection.bind(LdapDirectory.ADMIN_DN, LdapDirectory.ADMIN_PASSWORD);
        return connection;
    }

    @ParameterizedTest
    @EnumSource(GroupSource.class)
    void bothSourcesGiveTheSameIdentities(GroupSource source) {
        IdentityProvider idp = provider(source);
        assertThat(login(idp, "Alice", "alice-secret")).hasValueSatisfying(alice -> {
            assertThat(alice.subject()).isEqualTo("alice");
            assertThat(alice.groups()).containsExactly("mobile-users");
        });
        assertThat(login(idp, "alice", "wrong")).isEmpty();
        assertThat(login(idp, "carol", "carol-secret").orElseThrow().groups()).isEmpty();
        assertThat(login(idp, "nobody", "x")).isEmpty();
        assertThat(idp.lookup("bob").identity().groups()).containsExactly("mobile-users");
        assertThat(idp.lookup("carol").identity().groups()).isEmpty();
        assertThat(idp.lookup("nobody")).isEqualTo(UserLookup.notFound());
    }

    @ParameterizedTest
    @EnumSource(GroupSource.class)
    void aLookupSeesMembershipChangedOverLdap(GroupSource source) throws Exception {
        IdentityProvider idp = provider(source);
        try (LDAPConnection admin = admin()) {
            admin.modify(GROUP, new Modification(ModificationType.DELETE, "member",
                    "uid=erin," + LdapDirectory.USERS_DN));
            assertThat(idp.lookup("erin").identity().groups()).isEmpty();
            admin.add(new Entry("cn=auditors," + LdapDirectory.GROUPS_DN,
                    new Attribute("objectClass", "top", "groupOfNames"), new Attribute("cn", "auditors"),
                    new Attribute("member", "uid=erin," + LdapDirectory.USERS_DN)));
            admin.modify(GROUP, new Modification(ModificationType.ADD, "member",
                    "uid=erin," + LdapDirectory.USERS_DN));
            assertThat(idp.lookup("erin").identity().groups()).containsExactlyInAnyOrder("mobile-users", "auditors");
        }
    }

    @ParameterizedTest
    @EnumSource(GroupSource.class)
    void aGroupOutsideTheGroupBaseGrantsNothing(GroupSource source) throws Exception {
        IdentityProvider idp = provider(source);
        try (LDAPConnection admin = admin()) {
            admin.add(new Entry("cn=mobile-users,ou=people," + LdapDirectory.BASE_DN,
                    new Attribute("objectClass", "top", "groupOfNames"), new Attribute("cn", "mobile-users"),
                    new Attribute("member", "uid=carol," + LdapDirectory.USERS_DN)));
        }
        assertThat(login(idp, "carol", "carol-secret").orElseThrow().groups()).isEmpty();
        assertThat(idp.lookup("carol").identity().groups()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(GroupSource.class)
    void whatAPasswordLoginAndALookupCostTheDirectory(GroupSource source) {
        IdentityProvider idp = provider(source);
        login(idp, "alice", "alice-secret"); // the pools' connections, and their service-account binds
        idp.lookup("alice");
        long groupSearches = source == GroupSource.MEMBER_SEARCH ? 1 : 0;
        assertThat(operations(() -> login(idp, "alice", "alice-secret")))
                .isEqualTo(Map.of("search", 1 + groupSearches, "bind", 1L));
        assertThat(operations(() -> login(idp, "alice", "wrong"))).as("no group search for a wrong password")
                .isEqualTo(Map.of("search", 1L, "bind", 1L));
        assertThat(operations(() -> idp.lookup("alice"))).isEqualTo(Map.of("search", 1 + groupSearches));
    }
}
