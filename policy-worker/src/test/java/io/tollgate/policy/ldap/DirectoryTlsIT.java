package io.tollgate.policy.ldap;

import io.tollgate.policy.account.AccountEntry;
import io.tollgate.shared.crypto.Secret;
import io.tollgate.shared.ldap.LdapDirectoryFactory.Security;
import io.tollgate.testkit.LdapDirectory;
import io.tollgate.testkit.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * policy-worker's directory connection over real LDAPS and StartTLS (certificates made by the test): it reads
 * dave's expired license from the right host, and refuses a certificate of the trusted CA for another host name
 * and one of an unknown CA.
 */
class DirectoryTlsIT {
    static final TestCertificates.Authority CA = TestCertificates.authority("Tollgate Test CA");
    static LdapDirectory server;
    static LdapDirectory otherHost;
    static LdapDirectory unknownCa;
    static Path caBundle;

    @BeforeAll
    static void start() throws Exception {
        caBundle = CA.writePem(Files.createTempDirectory("pw-ldap-tls").resolve("ca.pem"));
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

    static DirectoryClient client(Security security, LdapDirectory directory) {
        LdapFactory f = new LdapFactory();
        f.security = security;
        f.urls = List.of(security == Security.LDAPS ? "ldaps://127.0.0.1:" + directory.port("ldaps")
                : "ldap://127.0.0.1:" + directory.port("starttls"));
        f.caBundle = caBundle.toString();
        f.bindDn = LdapDirectory.ADMIN_DN;
        f.bindPassword = Secret.of(LdapDirectory.ADMIN_PASSWORD);
        return new DirectoryClient(f.pool(), f);
    }

    @Test
    void readsTheDirectoryOverTlsFromTheRightHost() {
        for (Security security : List.of(Security.LDAPS, Security.STARTTLS)) {
            DirectoryClient directory = client(security, server);
            try {
                AccountEntry dave = directory.find("dave").orElseThrow();
                assertThat(dave.userId()).isEqualTo("dave");
                assertThat(dave.licenseExpires()).as(security.name()).isBefore(Instant.now());
                assertThat(directory.find("nobody")).isEmpty();
            } finally {
                directory.close();
            }
        }
    }

    @Test
    void refusesAnotherHostsCertificateAndAnUnknownCa() {
        for (Security security : List.of(Security.LDAPS, Security.STARTTLS)) {
            for (LdapDirectory wrong : List.of(otherHost, unknownCa)) {
                DirectoryClient directory = client(security, wrong);
                try {
                    assertThatThrownBy(() -> directory.find("dave")).as(security.name())
                            .isInstanceOf(io.tollgate.policy.core.SourceUnavailableException.class).hasMessageContaining("directory unavailable");
                } finally {
                    directory.close();
                }
            }
        }
    }
}
