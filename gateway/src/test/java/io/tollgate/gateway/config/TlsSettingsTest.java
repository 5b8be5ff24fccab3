package io.tollgate.gateway.config;

import com.codahale.metrics.MetricRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.tollgate.gateway.GatewayConfiguration;
import io.tollgate.gateway.GatewayServer;
import io.tollgate.gateway.testing.TestCertificates;
import io.tollgate.shared.crypto.Secret;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.tollgate.shared.tls.PemFiles;

import javax.net.ssl.SSLEngine;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TLS settings load what they should and refuse, at start-up and with a clear message, what they cannot. */
class TlsSettingsTest {
    private static final char[] KEY_PASSWORD = "key-pass-7781".toCharArray();

    @TempDir
    static Path dir;
    private static TestCertificates.Issued leaf;
    private static Path chain;
    private static Path key;
    private static Path encryptedKey;
    private static Path caBundle;

    @BeforeAll
    static void certificates() throws Exception {
        TestCertificates.Authority ca = TestCertificates.Authority.create("Tollgate Test CA");
        leaf = ca.issue(List.of("localhost"), List.of("127.0.0.1"));
        chain = TestCertificates.writeCertificates(dir.resolve("chain.pem"), leaf.chain());
        key = TestCertificates.writePrivateKey(dir.resolve("key.pem"), leaf.keys(), null);
        encryptedKey = TestCertificates.writePrivateKey(dir.resolve("key-enc.pem"), leaf.keys(), KEY_PASSWORD);
        caBundle = TestCertificates.writeCertificates(dir.resolve("ca.pem"), List.of(ca.certificate()));
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

    @Test
    void theListenerSpeaksOnlyTls13And12WithTheConfiguredChain() throws Exception {
        SslContext context = listener(chain, key, null).build();
        SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT);
        assertThat(engine.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(engine.getUseClientMode()).isFalse();
    }

    @Test
    void anEncryptedPkcs8KeyIsReadWithItsPasswordAndWithTheJdkAlone() throws Exception {
        assertThat(Files.readString(encryptedKey)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(listener(chain, encryptedKey, KEY_PASSWORD).build().isServer()).isTrue();
        assertThat(PemFiles.privateKey("k", encryptedKey.toString(), KEY_PASSWORD).getEncoded())
                .isEqualTo(leaf.keys().getPrivate().getEncoded());
    }

    @Test
    void aWrongKeyPasswordStopsStartUpWithoutPrintingThePassword() {
        assertThatThrownBy(() -> listener(chain, encryptedKey, "wrong-9931".toCharArray()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("proxy.tls.privateKey")
                .hasMessageContaining("wrong password")
                .hasMessageNotContaining("wrong-9931");
        assertThatThrownBy(() -> listener(chain, encryptedKey, null).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("privateKeyPassword is not set");
    }

    @Test
    void aMissingOrEmptyFileStopsStartUpNamingTheSettingAndPath() throws Exception {
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> listener(missing, key, null).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("proxy.tls.certificateChain").hasMessageContaining("nope.pem");
        assertThatThrownBy(() -> listener(chain, missing, null).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("proxy.tls.privateKey").hasMessageContaining("nope.pem");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        UpstreamTlsFactory upstream = new UpstreamTlsFactory();
        upstream.caBundle = empty.toString();
        assertThatThrownBy(upstream::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("proxy.upstreamTls.caBundle").hasMessageContaining("no certificate");
    }

    @Test
    void theUpstreamClientVerifiesHostNamesAndSpeaksOnlyTls13And12() throws Exception {
        UpstreamTlsFactory upstream = new UpstreamTlsFactory();
        upstream.caBundle = caBundle.toString();
        SSLEngine engine = upstream.build().newEngine(ByteBufAllocator.DEFAULT, "api.example", 443);
        assertThat(engine.getUseClientMode()).isTrue();
        assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(engine.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
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
