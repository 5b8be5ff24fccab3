package io.tollgate.shared.ldap;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import io.tollgate.shared.crypto.Secret;
import io.tollgate.testkit.FreePorts;
import io.tollgate.testkit.LdapDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several directory URLs (the production templates' {@code TOLLGATE_LDAP_URLS}) are fail-over servers, on two real
 * directories: a server that does not answer is skipped for the next, and a pool whose server goes down carries on
 * with the next one on its next operation.
 */
class LdapDirectoryFailoverIT {
    static LdapDirectory first;
    static LdapDirectory second;

    @BeforeAll
    static void start() {
        first = LdapDirectory.demo();
        second = LdapDirectory.demo();
    }

    @AfterAll
    static void stop() {
        for (LdapDirectory d : new LdapDirectory[] {first, second}) {
            if (d != null) {
                d.close();
            }
        }
    }

    static LdapDirectoryFactory factory(String... urls) {
        LdapDirectoryFactory f = new LdapDirectoryFactory();
        f.urls = List.of(urls);
        f.bindDn = LdapDirectory.ADMIN_DN;
        f.bindPassword = Secret.of(LdapDirectory.ADMIN_PASSWORD);
        f.connectTimeout = io.dropwizard.util.Duration.seconds(2);
        return f;
    }

    @Test
    void aServerThatDoesNotAnswerIsSkippedForTheNext() throws Exception {
        LdapDirectoryFactory f = factory("ldap://127.0.0.1:" + FreePorts.find(), second.url());
        LDAPConnectionPool pool = f.pool();
        try {
            UserSearch users = new UserSearch(pool, f);
            assertThat(users.find("alice").map(users::canonicalId)).contains("alice");
        } finally {
            pool.close();
        }
    }

    @Test
    void aPoolWhoseServerGoesDownCarriesOnWithTheNext() throws Exception {
        LdapDirectoryFactory f = factory(first.url(), second.url());
        LDAPConnectionPool pool = f.pool();
        try {
            UserSearch users = new UserSearch(pool, f);
            assertThat(users.find("alice").map(users::canonicalId)).contains("alice");
            var before = pool.getConnection();
            assertThat(before.getConnectedPort()).isEqualTo(first.port());
            pool.releaseConnection(before);
            first.suspend(); // closes the pool's open connections too
            try {
                assertThat(users.find("bob").map(users::canonicalId)).contains("bob");
                var connection = pool.getConnection();
                assertThat(connection.getConnectedPort()).as("the pool's connections now go to the second server")
                        .isEqualTo(second.port());
                pool.releaseConnection(connection);
            } finally {
                first.resume();
            }
        } finally {
            pool.close();
        }
    }
}
