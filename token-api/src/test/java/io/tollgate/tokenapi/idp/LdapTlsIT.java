package io.tollgate.tokenapi.idp;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldif.LDIFReader;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import io.tollgate.shared.crypto.Secret;
import io.tollgate.shared.testing.FreePorts;
import io.tollgate.shared.testing.LdapDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The LDAP identity provider over LDAPS and StartTLS against a real directory with a certificate made by
 * keytool, verified through a trust store; and fail-over from a dead server to a live one.
 */
class LdapTlsIT {
    static InMemoryDirectoryServer server;
    static Path trustStore;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("ldap-tls");
        Path keyStore = dir.resolve("server.p12");
        Path cert = dir.resolve("server.crt");
        trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "ldap", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-alias", "ldap", "-keystore", keyStore.toString(), "-storepass", "changeit",
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "ldap", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", "changeit");

        SSLUtil serverSsl = new SSLUtil(new KeyStoreKeyManager(keyStore.toFile(), "changeit".toCharArray(), "PKCS12",
                "ldap"), new TrustAllTrustManager());
        InetAddress loopback = InetAddress.getLoopbackAddress();
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(LdapDirectory.BASE_DN);
        config.addAdditionalBindCredentials(LdapDirectory.ADMIN_DN, LdapDirectory.ADMIN_PASSWORD);
        config.setListenerConfigs(
                InMemoryListenerConfig.createLDAPSConfig("ldaps", loopback, 0, serverSsl.createSSLServerSocketFactory(),
                        null),
                InMemoryListenerConfig.createLDAPConfig("starttls", loopback, 0, serverSsl.createSSLSocketFactory()));
        config.setSchema(null);
        server = new InMemoryDirectoryServer(config);
        try (InputStream in = LdapDirectory.class.getResourceAsStream(LdapDirectory.DEMO_LDIF)) {
            server.importFromLDIF(true, new LDIFReader(in));
        }
        server.startListening();
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.add("-J-Xmx64m");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.shutDown(true);
        }
    }

    private static LdapIdentityProviderFactory factory(LdapIdentityProviderFactory.Security security, String... urls) {
        LdapIdentityProviderFactory f = new LdapIdentityProviderFactory();
        f.setUrls(List.of(urls));
        f.setSecurity(security);
        f.setTrustStorePath(trustStore.toString());
        f.setTrustStorePassword(Secret.of("changeit"));
        f.setBindDn(LdapDirectory.ADMIN_DN);
        f.setBindPassword(Secret.of(LdapDirectory.ADMIN_PASSWORD));
        f.setConnectTimeout(io.dropwizard.util.Duration.seconds(1));
        return f;
    }

    private static void check(LdapIdentityProviderFactory f) {
        var pool = f.buildPool();
        try {
            var idp = new LdapIdentityProvider(pool, f);
            var alice = idp.authenticate("alice", Secret.of("alice-secret"));
            assertThat(alice).hasValueSatisfying(i -> {
                assertThat(i.subject()).isEqualTo("alice");
                assertThat(i.groups()).containsExactly("mobile-users");
            });
            assertThat(idp.authenticate("alice", Secret.of("wrong"))).isEmpty();
            assertThat(idp.authenticate("carol", Secret.of("carol-secret")).orElseThrow().groups()).isEmpty();
            assertThat(idp.lookup("bob").orElseThrow().groups()).containsExactly("mobile-users");
            assertThat(idp.lookup("nobody")).isEmpty();
        } finally {
            pool.close();
        }
    }

    @Test
    void ldapsWithATrustStore() {
        check(factory(LdapIdentityProviderFactory.Security.LDAPS, "ldaps://127.0.0.1:" + server.getListenPort("ldaps")));
    }

    @Test
    void startTlsWithATrustStore() {
        check(factory(LdapIdentityProviderFactory.Security.STARTTLS,
                "ldap://127.0.0.1:" + server.getListenPort("starttls")));
    }

    @Test
    void failsOverFromADeadServer() {
        check(factory(LdapIdentityProviderFactory.Security.LDAPS, "ldaps://127.0.0.1:" + FreePorts.find(),
                "ldaps://127.0.0.1:" + server.getListenPort("ldaps")));
    }

    @Test
    void anUntrustedCertificateMeansUnavailableNotWrongPassword() {
        for (LdapIdentityProviderFactory f : List.of(
                factory(LdapIdentityProviderFactory.Security.LDAPS, "ldaps://127.0.0.1:" + server.getListenPort("ldaps")),
                factory(LdapIdentityProviderFactory.Security.STARTTLS,
                        "ldap://127.0.0.1:" + server.getListenPort("starttls")))) {
            f.setTrustStorePath(null); // the JVM's default trust does not know the test certificate
            var pool = f.buildPool();
            try {
                var idp = new LdapIdentityProvider(pool, f);
                assertThatThrownBy(() -> idp.authenticate("alice", Secret.of("alice-secret")))
                        .as(f.getSecurity().name()).isInstanceOf(IdentityProviderUnavailableException.class);
            } finally {
                pool.close();
            }
        }
    }
}
