package io.tollgate.shared.ldap;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import io.tollgate.shared.crypto.Secret;
import io.tollgate.testkit.LdapDirectory;
import io.tollgate.testkit.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared directory connection over real TLS (LDAPS and StartTLS listeners of UnboundID's in-memory server)
 * with certificates this test makes: a leaf for 127.0.0.1/localhost from the trusted CA binds; a leaf from the
 * same trusted CA for another host name is refused (a man in the middle holding any certificate of a public CA);
 * a leaf from an unknown CA is refused, and so is the test CA under the JVM's default trust.
 */
class LdapDirectoryFactoryTlsIT {
    static final TestCertificates.Authority CA = TestCertificates.authority("Tollgate Test CA");
    static final TestCertificates.Authority STRANGER = TestCertificates.authority("Unknown CA");
    static LdapDirectory right;
    static LdapDirectory otherHost;
    static LdapDirectory untrusted;
    static Path caBundle;

    @BeforeAll
    static void start() throws Exception {
        caBundle = CA.writePem(Files.createTempDirectory("ldap-ca").resolve("ca.pem"));
        right = LdapDirectory.demoOverTls(CA.issue("127.0.0.1", "localhost").keyManager());
        otherHost = LdapDirectory.demoOverTls(CA.issue("ldap.elsewhere.test").keyManager());
        untrusted = LdapDirectory.demoOverTls(STRANGER.issue("127.0.0.1", "localhost").keyManager());
    }

    @AfterAll
    static void stop() {
        for (LdapDirectory d : new LdapDirectory[] {right, otherHost, untrusted}) {
            if (d != null) {
                d.close();
            }
        }
    }

    static LdapDirectoryFactory factory(LdapDirectoryFactory.Security security, String host, LdapDirectory server) {
        LdapDirectoryFactory f = new LdapDirectoryFactory();
        f.security = security;
        f.urls = List.of(security == LdapDirectoryFactory.Security.LDAPS
                ? "ldaps://" + host + ":" + server.port("ldaps")
                : "ldap://" + host + ":" + server.port("starttls"));
        f.caBundle = caBundle.toString();
        f.bindDn = LdapDirectory.ADMIN_DN;
        f.bindPassword = Secret.of(LdapDirectory.ADMIN_PASSWORD);
        f.connectTimeout = io.dropwizard.util.Duration.seconds(2);
        return f;
    }

    /** Binds as the service account and finds alice, or throws what the directory connection threw. */
    static String findAlice(LdapDirectoryFactory f) throws LDAPException {
        LDAPConnectionPool pool = f.pool();
        try {
            UserSearch users = new UserSearch(pool, f);
            return users.find("Alice").map(users::canonicalId).orElse(null);
        } finally {
            pool.close();
        }
    }

    /** What connecting threw; fails the test when alice was found (the connection was accepted). */
    static Object refusal(LdapDirectoryFactory f) {
        try {
            return "connected and found " + findAlice(f);
        } catch (LDAPException e) {
            return e;
        }
    }

    @Test
    void aCertificateForTheRightHostFromTheTrustedCaBinds() throws Exception {
        for (LdapDirectoryFactory.Security security : List.of(LdapDirectoryFactory.Security.LDAPS,
                LdapDirectoryFactory.Security.STARTTLS)) {
            for (String host : List.of("127.0.0.1", "localhost")) {
                assertThat(findAlice(factory(security, host, right))).as(security + " " + host).isEqualTo("alice");
            }
        }
    }

    @Test
    void aCertificateFromTheTrustedCaForAnotherHostIsRefused() {
        for (LdapDirectoryFactory.Security security : List.of(LdapDirectoryFactory.Security.LDAPS,
                LdapDirectoryFactory.Security.STARTTLS)) {
            assertThat(refusal(factory(security, "127.0.0.1", otherHost))).as(security.name())
                    .isInstanceOf(LDAPException.class);
        }
    }

    @Test
    void aCertificateFromAnUnknownCaIsRefused() {
        for (LdapDirectoryFactory.Security security : List.of(LdapDirectoryFactory.Security.LDAPS,
                LdapDirectoryFactory.Security.STARTTLS)) {
            assertThat(refusal(factory(security, "127.0.0.1", untrusted))).as(security.name())
                    .isInstanceOf(LDAPException.class);
            LdapDirectoryFactory jvmTrust = factory(security, "127.0.0.1", right);
            jvmTrust.caBundle = null; // the JVM's default trust does not know the test CA
            assertThat(refusal(jvmTrust)).as(security + " with the JVM's trust").isInstanceOf(LDAPException.class);
        }
    }

    @Test
    void aCaBundleWithoutCertificatesIsAConfigurationError() throws Exception {
        Path empty = Files.writeString(Files.createTempFile("empty", ".pem"), "not a certificate\n");
        LdapDirectoryFactory f = factory(LdapDirectoryFactory.Security.LDAPS, "127.0.0.1", right);
        f.caBundle = empty.toString();
        assertThatThrownBy(() -> f.pool()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("caBundle");
    }
}
