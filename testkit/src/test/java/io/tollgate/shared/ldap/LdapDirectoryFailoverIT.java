package io.tollgate.shared.ldap;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import io.tollgate.shared.crypto.Secret;
import io.tollgate.testkit.FreePorts;
import io.tollgate.testkit.LdapDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

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
                // The pool retries an operation that failed on a dead connection once, on a new connection; a search
                // sent on a pooled connection before the client has seen the server close it can still fail with
                // SERVER_DOWN (the caller answers 503 with Retry-After). At most that one: the next goes to the
                // second server.
                Optional<String> bob;
                try {
                    bob = users.find("bob").map(users::canonicalId);
                } catch (LDAPException inFlight) {
                    assertThat(inFlight.getResultCode()).isEqualTo(ResultCode.SERVER_DOWN);
                    bob = users.find("bob").map(users::canonicalId);
                }
                assertThat(bob).contains("bob");
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
