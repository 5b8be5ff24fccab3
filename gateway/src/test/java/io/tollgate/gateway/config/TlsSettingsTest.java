package io.tollgate.gateway.config;

import com.codahale.metrics.MetricRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.tollgate.gateway.GatewayConfiguration;
import io.tollgate.gateway.GatewayServer;
import io.tollgate.gateway.testing.LoopbackTls;
import io.tollgate.gateway.testing.TestCertificates;
import io.tollgate.shared.crypto.Secret;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import io.tollgate.shared.tls.PemFiles;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The TLS settings load what they should and refuse, at start-up and with a clear message, what they cannot; each
 * context on both engines ({@code proxy.tlsEngine}), with real handshakes over loopback where it matters.
 */
class TlsSettingsTest {
    private static final char[] KEY_PASSWORD = "key-pass-7781".toCharArray();

    @TempDir
    static Path dir;
    private static TestCertificates.Issued leaf;
    private static Path chain;
    private static Path key;
    private static Path encryptedKey;
    private static Path caBundle;
    private static TestCertificates.Authority ca;
    private static TestCertificates.Issued otherName;
    /** Contexts and engines a test made, released after it (OpenSSL's are reference-counted). */
    private final List<Object> made = new ArrayList<>();

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.Authority.create("Tollgate Test CA");
        leaf = ca.issue(List.of("localhost"), List.of("127.0.0.1"));
        otherName = ca.issue(List.of("wrong.example"), List.of());
        chain = TestCertificates.writeCertificates(dir.resolve("chain.pem"), leaf.chain());
        key = TestCertificates.writePrivateKey(dir.resolve("key.pem"), leaf.keys(), null);
        encryptedKey = TestCertificates.writePrivateKey(dir.resolve("key-enc.pem"), leaf.keys(), KEY_PASSWORD);
        caBundle = TestCertificates.writeCertificates(dir.resolve("ca.pem"), List.of(ca.certificate()));
    }

    @AfterEach
    void release() {
        made.forEach(ReferenceCountUtil::release);
    }

    private <T> T made(T contextOrEngine) {
        made.add(contextOrEngine);
        return contextOrEngine;
    }

    private static ListenerTlsFactory listener(Path chainFile, Path keyFile, char[] password) {
        ListenerTlsFactory tls = new ListenerTlsFactory();
        tls.certificateChain = chainFile.toString();
        tls.privateKey = keyFile.toString();
        if (password != null) {
            tls.privateKeyPassword = Secret.of(new String(password));
        }
        return tls;
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void theListenerSpeaksOnlyTls13And12WithTheConfiguredChain(TlsEngine engine) throws Exception {
        SslContext context = made(listener(chain, key, null).build(engine));
        SSLEngine server = made(context.newEngine(ByteBufAllocator.DEFAULT));
        assertThat(server.getUseClientMode()).isFalse();
        assertThat(protocolVersions(server)).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(server instanceof ReferenceCountedOpenSslEngine).as(server.getClass().getName())
                .isEqualTo(engine == TlsEngine.OPENSSL);

        for (String protocol : ListenerTlsFactory.PROTOCOLS) {
            SSLSession session = LoopbackTls.clientHandshake(context, TestCertificates.clientTrusting(ca.certificate()),
                    protocol);
            assertThat(session.getProtocol()).isEqualTo(protocol);
            assertThat(session.getPeerCertificates()[0]).isEqualTo(leaf.certificate());
        }
    }

    /**
     * The key is decrypted by the JDK ({@link PemFiles}), and OpenSSL serves with it: Netty hands it the decrypted
     * PKCS#8 key. A handshake proves the pair works, not only that a context was built.
     */
    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void anEncryptedPkcs8KeyIsReadWithItsPasswordAndWithTheJdkAlone(TlsEngine engine) throws Exception {
        assertThat(Files.readString(encryptedKey)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(PemFiles.privateKey("k", encryptedKey.toString(), KEY_PASSWORD).getEncoded())
                .isEqualTo(leaf.keys().getPrivate().getEncoded());
        SslContext context = made(listener(chain, encryptedKey, KEY_PASSWORD).build(engine));
        SSLSession session = LoopbackTls.clientHandshake(context, TestCertificates.clientTrusting(ca.certificate()),
                "TLSv1.3");
        assertThat(session.getPeerCertificates()[0]).isEqualTo(leaf.certificate());
    }

    /** Netty's default list on both engines: the same TLS 1.2 suites; BoringSSL adds ChaCha20-Poly1305 to TLS 1.3. */
    @Test
    void bothEnginesOfferNettysDefaultCipherSuites() {
        List<String> jdk = made(listener(chain, key, null).build(TlsEngine.JDK)).cipherSuites();
        List<String> openSsl = made(listener(chain, key, null).build(TlsEngine.OPENSSL)).cipherSuites();
        assertThat(openSsl).filteredOn(suite -> !TLS13_SUITES.contains(suite))
                .containsExactlyElementsOf(jdk.stream().filter(suite -> !TLS13_SUITES.contains(suite)).toList())
                .startsWith("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
        assertThat(jdk).filteredOn(TLS13_SUITES::contains)
                .containsExactly("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384");
        assertThat(openSsl).filteredOn(TLS13_SUITES::contains).containsExactlyInAnyOrder("TLS_AES_128_GCM_SHA256",
                "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
    }

    private static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    /**
     * The protocol versions an engine speaks. Netty lists the pseudo-protocol {@code SSLv2Hello} (an SSLv2-format
     * ClientHello) among every OpenSSL engine's enabled protocols, whatever it was built with: not a version.
     */
    private static List<String> protocolVersions(SSLEngine engine) {
        return java.util.Arrays.stream(engine.getEnabledProtocols()).filter(p -> !p.equals("SSLv2Hello")).toList();
    }

    @Test
    void aWrongKeyPasswordStopsStartUpWithoutPrintingThePassword() {
        assertThatThrownBy(() -> listener(chain, encryptedKey, "wrong-9931".toCharArray()).build(TlsEngine.OPENSSL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("proxy.tls.privateKey")
                .hasMessageContaining("wrong password")
                .hasMessageNotContaining("wrong-9931");
        assertThatThrownBy(() -> listener(chain, encryptedKey, null).build(TlsEngine.OPENSSL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("privateKeyPassword is not set");
    }

    /**
     * A key that is not the first certificate's, or a chain in the wrong order, builds a context on either engine and
     * fails only at the first handshake: refused at start-up instead, naming both files.
     */
    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void aKeyThatIsNotTheFirstCertificatesStopsStartUp(TlsEngine engine) throws Exception {
        Path otherKey = TestCertificates.writePrivateKey(dir.resolve("other-key.pem"), otherName.keys(), null);
        assertThatThrownBy(() -> listener(chain, otherKey, null).build(engine))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("proxy.tls: the private key " + otherKey)
                .hasMessageContaining("is not the key of the first certificate of " + chain)
                .hasMessageContaining("CN=localhost");
        Path caFirst = TestCertificates.writeCertificates(dir.resolve("ca-first.pem"),
                List.of(ca.certificate(), leaf.certificate()));
        assertThatThrownBy(() -> listener(caFirst, key, null).build(engine))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not the key of the first certificate of " + caFirst)
                .hasMessageContaining("CN=Tollgate Test CA");
    }

    /** The key check for each key type the listener reads: EC (the other tests), RSA, RSASSA-PSS, Ed25519, Ed448. */
    @Test
    void theKeyCheckKnowsEveryKeyTypeTheListenerReads() throws Exception {
        for (String type : List.of("RSA", "RSASSA-PSS", "Ed25519", "Ed448")) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
            KeyPair keys = generator.generateKeyPair();
            KeyPair other = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + type);
            // issued (signed) by the EC leaf's key: what is checked is the certificate's own key, of this type
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    new JcaX509v3CertificateBuilder(name, BigInteger.ONE, new Date(),
                            new Date(System.currentTimeMillis() + 3_600_000), name, keys.getPublic())
                            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(leaf.keys().getPrivate())));
            assertThat(ListenerTlsFactory.belongsTo(keys.getPrivate(), certificate)).as(type).isTrue();
            assertThat(ListenerTlsFactory.belongsTo(other.getPrivate(), certificate)).as(type).isFalse();
            assertThat(ListenerTlsFactory.belongsTo(leaf.keys().getPrivate(), certificate)).as(type).isFalse();
        }
        assertThat(ListenerTlsFactory.belongsTo(leaf.keys().getPrivate(), leaf.certificate())).isTrue();
    }

    @Test
    void aMissingOrEmptyFileStopsStartUpNamingTheSettingAndPath() throws Exception {
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> listener(missing, key, null).build(TlsEngine.OPENSSL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("proxy.tls.certificateChain").hasMessageContaining("nope.pem");
        assertThatThrownBy(() -> listener(chain, missing, null).build(TlsEngine.OPENSSL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("proxy.tls.privateKey").hasMessageContaining("nope.pem");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        UpstreamTlsFactory upstream = new UpstreamTlsFactory();
        upstream.caBundle = empty.toString();
        assertThatThrownBy(() -> upstream.build(TlsEngine.OPENSSL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("proxy.upstreamTls.caBundle").hasMessageContaining("no certificate");
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void theUpstreamClientVerifiesHostNamesAndSpeaksOnlyTls13And12(TlsEngine engine) throws Exception {
        SslContext context = upstreamTrustingTheCa(engine);
        SSLEngine client = made(context.newEngine(ByteBufAllocator.DEFAULT, "api.example", 443));
        assertThat(client.getUseClientMode()).isTrue();
        assertThat(client.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(protocolVersions(client)).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(client instanceof ReferenceCountedOpenSslEngine).as(client.getClass().getName())
                .isEqualTo(engine == TlsEngine.OPENSSL);
    }

    /** The upstream client on {@code engine}, trusting the test CA only; released after the test. */
    private SslContext upstreamTrustingTheCa(TlsEngine engine) {
        UpstreamTlsFactory upstream = new UpstreamTlsFactory();
        upstream.caBundle = caBundle.toString();
        return made(upstream.build(engine));
    }

    /** In the handshake, on either engine: the CA bundle's certificate for the host passes, one for another refused. */
    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void theUpstreamClientRefusesACertificateForAnotherHostName(TlsEngine engine) throws Exception {
        SslContext context = upstreamTrustingTheCa(engine);

        assertThat(LoopbackTls.serverHandshake(context, "localhost", TestCertificates.serverContext(leaf))).isNull();
        Throwable wrongName = LoopbackTls.serverHandshake(context, "localhost",
                TestCertificates.serverContext(otherName));
        assertThat(wrongName).isInstanceOf(SSLHandshakeException.class);
        assertThat(causes(wrongName)).contains("No subject alternative DNS name matching localhost found");
    }

    private static String causes(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }

    /** {@code proxy.tlsEngine} decides the engine of the handlers the proxy puts on its connections. */
    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void theProxysHandlersRunOnTheConfiguredEngine(TlsEngine engine) throws Exception {
        ProxyFactory proxy = new ProxyFactory();
        assertThat(proxy.tlsEngine).as("the default").isEqualTo(TlsEngine.OPENSSL);
        proxy.tlsEngine = engine;
        proxy.tls = listener(chain, key, null);
        proxy.upstreamTls.caBundle = caBundle.toString();

        SslHandler listener = made(proxy.buildListenerTls()).newHandler(ByteBufAllocator.DEFAULT);
        SslHandler upstream = made(proxy.buildUpstreamTls()).newHandler(ByteBufAllocator.DEFAULT, "api.example", 443);
        made(listener.engine());
        made(upstream.engine());
        assertThat(List.of(listener.engine(), upstream.engine())).allSatisfy(e ->
                assertThat(e instanceof ReferenceCountedOpenSslEngine).as(e.getClass().getName())
                        .isEqualTo(engine == TlsEngine.OPENSSL));
    }

    /** The whole gateway refuses to start; nothing is connected or bound before these checks. */
    @Test
    void theGatewayDoesNotStartWithAnUnreadableCaBundleOrAnUnsupportedUpstreamScheme() {
        GatewayConfiguration badBundle = gateway(URI.create("https://api.example"));
        badBundle.proxy.upstreamTls.caBundle = dir.resolve("missing-ca.pem").toString();
        assertThatThrownBy(() -> new GatewayServer(badBundle, new MetricRegistry()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("proxy.upstreamTls.caBundle").hasMessageContaining("missing-ca.pem");

        GatewayConfiguration ftp = gateway(URI.create("ftp://127.0.0.1:21"));
        assertThatThrownBy(() -> new GatewayServer(ftp, new MetricRegistry()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("upstream scheme 'ftp' is not supported");

        GatewayConfiguration badKey = gateway(URI.create("http://127.0.0.1:9000"));
        badKey.proxy.tls = listener(chain, dir.resolve("missing-key.pem"), null);
        assertThatThrownBy(() -> new GatewayServer(badKey, new MetricRegistry()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("proxy.tls.privateKey").hasMessageContaining("missing-key.pem");
    }

    private static GatewayConfiguration gateway(URI upstream) {
        GatewayConfiguration config = new GatewayConfiguration();
        RouteConfig route = new RouteConfig();
        route.api = "mobile";
        route.pathPrefix = "/mobile/";
        route.upstreams = List.of(upstream);
        config.routes = List.of(route);
        return config;
    }
}
