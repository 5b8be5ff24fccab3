package io.tollgate.tokenapi.idp;

import io.tollgate.shared.crypto.Secret;
import io.tollgate.shared.ldap.LdapDirectoryFactory.Security;
import io.tollgate.testkit.FreePorts;
import io.tollgate.testkit.LdapDirectory;
import io.tollgate.testkit.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The LDAP identity provider over LDAPS and StartTLS against real directories whose certificates this test makes
 * (a test CA, trusted through a PEM {@code caBundle}): the right host logs users in and fails over from a dead
 * server; a certificate of the trusted CA for another host name, one of an unknown CA, and the test CA under the
 * JVM's default trust all mean "unavailable" (503), never a login and never "wrong password".
 */
class LdapTlsIT {
    static final TestCertificates.Authority CA = TestCertificates.authority("Tollgate Test CA");
    static LdapDirectory server;
    static LdapDirectory otherHost;
    static LdapDirectory unknownCa;
    static Path caBundle;

    @BeforeAll
    static void start() throws Exception {
        caBundle = CA.writePem(Files.createTempDirectory("ldap-tls").resolve("ca.pem"));
        server = LdapDirectory.demoOverTls(CA.issue("127.0.0.1", "localhost").keyManager());
        otherHost = LdapDirectory.demoOverTls(CA.issue("ldap.elsewhere.test").keyManager());
        unknownCa = LdapDirectory.demoOverTls(
                TestCertificates.authority("Unknown CA").issue("127.0.0.1", "localhost").keyManager());
    }

    @AfterAll
    static void stop() {
        for (LdapDirectory d : new LdapDirectory[] {server, otherHost, unknownCa}) {
            if (d != null) {
                d.close();
            }
        }
    }

    private static String url(Security security, LdapDirectory directory) {
        return security == Security.LDAPS ? "ldaps://127.0.0.1:" + directory.port("ldaps")
                : "ldap://127.0.0.1:" + directory.port("starttls");
    }

    private static LdapIdentityProviderFactory factory(Security security, String... urls) {
        LdapIdentityProviderFactory f = new LdapIdentityProviderFactory();
        f.urls = List.of(urls);
        f.security = security;
        f.caBundle = caBundle.toString();
        f.bindDn = LdapDirectory.ADMIN_DN;
        f.bindPassword = Secret.of(LdapDirectory.ADMIN_PASSWORD);
        f.connectTimeout = io.dropwizard.util.Duration.seconds(1);
        return f;
    }

    private static Optional<Identity> login(IdentityProvider idp, String user, String password) {
        return idp.authenticate(idp.find(user), Secret.of(password));
    }

    private static void check(LdapIdentityProviderFactory f) {
        var pool = f.pool();
        var binds = f.bindPool();
        try {
            var idp = new LdapIdentityProvider(pool, binds, f);
            var alice = login(idp, "alice", "alice-secret");
            assertThat(alice).hasValueSatisfying(i -> {
                assertThat(i.subject()).isEqualTo("alice");
                assertThat(i.groups()).containsExactly("mobile-users");
            });
            assertThat(login(idp, "alice", "wrong")).isEmpty();
            assertThat(login(idp, "carol", "carol-secret").orElseThrow().groups()).isEmpty();
            assertThat(idp.lookup("bob").identity().groups()).containsExactly("mobile-users");
            assertThat(idp.lookup("nobody")).isEqualTo(UserLookup.notFound());
        } finally {
            pool.close();
            binds.close();
        }
    }

    private static void refused(LdapIdentityProviderFactory f) {
        var pool = f.pool();
        var binds = f.bindPool();
        try {
            var idp = new LdapIdentityProvider(pool, binds, f);
            assertThatThrownBy(() -> idp.find("alice"))
                    .as(f.security.name()).isInstanceOf(IdentityProviderUnavailableException.class);
            // the binds' own connections are refused alike: no password goes to a server that was not verified
            Candidate alice = Candidate.known("alice", "uid=alice," + LdapDirectory.USERS_DN);
            assertThatThrownBy(() -> idp.authenticate(alice, Secret.of("alice-secret")))
                    .as(f.security.name()).isInstanceOf(IdentityProviderUnavailableException.class);
        } finally {
            pool.close();
            binds.close();
        }
    }

    @Test
    void ldapsWithACaBundle() {
        check(factory(Security.LDAPS, url(Security.LDAPS, server)));
    }

    @Test
    void startTlsWithACaBundle() {
        check(factory(Security.STARTTLS, url(Security.STARTTLS, server)));
    }

    @Test
    void failsOverFromADeadServer() {
        check(factory(Security.LDAPS, "ldaps://127.0.0.1:" + FreePorts.find(), url(Security.LDAPS, server)));
    }

    @Test
    void aCertificateOfTheTrustedCaForAnotherHostIsRefused() {
        for (Security security : List.of(Security.LDAPS, Security.STARTTLS)) {
            refused(factory(security, url(security, otherHost)));
        }
    }

    @Test
    void anUntrustedCertificateMeansUnavailableNotWrongPassword() {
        for (Security security : List.of(Security.LDAPS, Security.STARTTLS)) {
            refused(factory(security, url(security, unknownCa)));
            LdapIdentityProviderFactory jvmTrust = factory(security, url(security, server));
            jvmTrust.caBundle = null; // the JVM's default trust does not know the test CA
            refused(jvmTrust);
        }
    }
}
