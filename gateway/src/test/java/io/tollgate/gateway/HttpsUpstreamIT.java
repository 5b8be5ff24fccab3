package io.tollgate.gateway;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dropwizard.util.Duration;
import io.tollgate.gateway.config.RouteConfig;
import io.tollgate.gateway.testing.Gateways;
import io.tollgate.gateway.testing.RecordingUpstream;
import io.tollgate.gateway.testing.TestCertificates;
import io.tollgate.gateway.testing.TestIssuer;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.RedisExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.tollgate.gateway.testing.Gateways.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code https://} upstreams: TLS with SNI, the certificate verified against the configured CA bundle and the
 * host name against the certificate; a certificate that fails either is a 502, the upstream receives no request,
 * and the gateway logs the verifier's reason; nothing is ever sent to an https upstream in plaintext. On the default
 * TLS engine (openssl); {@code config.TlsSettingsTest} runs the client context's checks on both engines.
 */
class HttpsUpstreamIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.shared();
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    @TempDir
    static Path dir;
    private static TestIssuer issuer;
    private static RecordingUpstream trusted;
    private static RecordingUpstream wrongName;
    private static RecordingUpstream untrusted;
    private static RawRecorder raw;
    private static GatewayServer gateway;
    /** What {@code UpstreamPool} logs: one {@code event=upstream_tls_failed} line per failed handshake. */
    private static final ListAppender<ILoggingEvent> POOL_LOG = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        POOL_LOG.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        POOL_LOG.start();
        ((Logger) LoggerFactory.getLogger(UPSTREAM_POOL)).addAppender(POOL_LOG);
        TestCertificates.Authority ca = TestCertificates.Authority.create("Tollgate Upstream CA");
        TestCertificates.Authority stranger = TestCertificates.Authority.create("Some Other CA");
        trusted = RecordingUpstream.https(TestCertificates.serverContext(
                ca.issue(List.of("localhost"), List.of("127.0.0.1"))));
        wrongName = RecordingUpstream.https(TestCertificates.serverContext(
                ca.issue(List.of("wrong.example"), List.of())));
        untrusted = RecordingUpstream.https(TestCertificates.serverContext(
                stranger.issue(List.of("localhost"), List.of("127.0.0.1"))));
        raw = new RawRecorder();
        issuer = new TestIssuer();
        Gateways.prepare(KAFKA, REDIS);
        GatewayConfiguration config = Gateways.config("https-upstream", KAFKA, REDIS, issuer,
                URI.create("http://127.0.0.1:1"));
        config.routes = List.of(
                route("/good/", "https://localhost:" + trusted.port()),
                route("/good-ip/", "https://127.0.0.1:" + trusted.port() + "/base"),
                route("/wrong-name/", "https://localhost:" + wrongName.port()),
                route("/untrusted/", "https://localhost:" + untrusted.port()),
                route("/raw/", "https://127.0.0.1:" + raw.port()));
        config.proxy.upstreamTls.caBundle = 
                TestCertificates.writeCertificates(dir.resolve("upstream-ca.pem"), List.of(ca.certificate())).toString();
        gateway = Gateways.start(config);
    }

    private static RouteConfig route(String prefix, String upstream) {
        RouteConfig route = new RouteConfig();
        route.api = "mobile";
        route.pathPrefix = prefix;
        route.upstreams = List.of(URI.create(upstream));
        Map<String, String> scopes = new LinkedHashMap<>();
        scopes.put("GET", "read");
        scopes.put("*", "write");
        route.scopes = scopes;
        route.connectTimeout = Duration.seconds(2);
        route.readTimeout = Duration.seconds(2);
        return route;
    }

    @AfterAll
    static void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(UPSTREAM_POOL)).detachAppender(POOL_LOG);
        if (gateway != null) {
            gateway.stop();
        }
        for (AutoCloseable c : List.of(trusted, wrongName, untrusted, raw, issuer)) {
            c.close();
        }
    }

    @BeforeEach
    void clear() {
        synchronized (POOL_LOG) {
            POOL_LOG.list.clear();
        }
        trusted.clear();
        wrongName.clear();
        untrusted.clear();
        raw.clear();
    }

    @Test
    void aTrustedUpstreamIsReachedOverTlsWithSniAndGetsTheIdentityHeaders() throws Exception {
        HttpResponse<String> response = get(gateway, "/good/items/9?q=1", issuer.token("alice-https", "read"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"method\":\"GET\"");
        assertThat(trusted.count()).isEqualTo(1);
        assertThat(trusted.last().uri()).isEqualTo("/good/items/9?q=1");
        assertThat(trusted.last().headers().get("x-authenticated-userid")).containsExactly("alice-https");
        assertThat(trusted.last().header("host")).isEqualTo("localhost:" + trusted.port());
        assertThat(trusted.serverNames()).contains("localhost");
    }

    @Test
    void anIpAddressUpstreamIsVerifiedAgainstTheCertificatesIpAddresses() throws Exception {
        HttpResponse<String> response = get(gateway, "/good-ip/x", issuer.token("ip-user", "read"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(trusted.last().uri()).isEqualTo("/base/good-ip/x");
    }

    @Test
    void aCertificateForAnotherHostNameIsA502AndTheUpstreamReceivesNoRequest() throws Exception {
        HttpResponse<String> response = get(gateway, "/wrong-name/items", issuer.token("bob-https", "read"));

        assertBadGateway(response);
        assertThat(wrongName.serverNames()).as("the gateway did start TLS, with SNI").contains("localhost");
        assertThat(wrongName.count()).isZero();
        assertThat(poolLog()).containsExactly("event=upstream_tls_failed upstream=https://localhost:" + wrongName.port()
                + " reason=\"No subject alternative DNS name matching localhost found.\"");
    }

    @Test
    void aCertificateFromAnUntrustedCaIsA502AndTheUpstreamReceivesNoRequest() throws Exception {
        HttpResponse<String> response = get(gateway, "/untrusted/items", issuer.token("carol-https", "read"));

        assertBadGateway(response);
        assertThat(untrusted.serverNames()).as("the gateway did start TLS, with SNI").contains("localhost");
        assertThat(untrusted.count()).isZero();
        assertThat(poolLog()).containsExactly("event=upstream_tls_failed upstream=https://localhost:" + untrusted.port()
                + " reason=\"unable to find valid certification path to requested target\"");
        // the next request is refused as well: a failed connection is never pooled
        assertBadGateway(get(gateway, "/untrusted/items", issuer.token("carol-https", "read")));
        assertThat(untrusted.count()).isZero();
    }

    /** The request must never go out in plaintext to the TLS port, token-derived headers and all. */
    @Test
    void anHttpsUpstreamIsNeverSentPlaintext() throws Exception {
        HttpResponse<String> response = get(gateway, "/raw/secret-path", issuer.token("dave-https", "read"));

        assertBadGateway(response); // the recorder speaks no TLS: the handshake cannot complete
        byte[] first = raw.firstConnectionBytes();
        assertThat(first).isNotEmpty();
        assertThat(first[0]).as("a TLS handshake record, not an HTTP request line").isEqualTo((byte) 22);
        String text = new String(first, StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain("GET ", "secret-path", "dave-https", "HTTP/1.1");
    }

    private static List<String> poolLog() {
        synchronized (POOL_LOG) {
            return POOL_LOG.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    private static final String UPSTREAM_POOL = "io.tollgate.gateway.proxy.UpstreamPool";

    private static void assertBadGateway(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.body()).contains("\"error\":\"bad_gateway\"");
    }

    /** A TCP server that records the first bytes of each connection and then closes it. */
    private static final class RawRecorder implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final ConcurrentLinkedQueue<byte[]> connections = new ConcurrentLinkedQueue<>();
        private final Thread acceptor;

        RawRecorder() throws IOException {
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        socket.setSoTimeout(500);
                        InputStream in = socket.getInputStream();
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        byte[] buffer = new byte[8192];
                        try {
                            int n;
                            while (bytes.size() < 16_384 && (n = in.read(buffer)) > 0) {
                                bytes.write(buffer, 0, n);
                            }
                        } catch (IOException e) {
                            // quiet for 500 ms: the client waits for an answer that will not come
                        }
                        connections.add(bytes.toByteArray());
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "raw-recorder");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        byte[] firstConnectionBytes() throws InterruptedException {
            for (int i = 0; i < 50 && connections.isEmpty(); i++) {
                Thread.sleep(20);
            }
            byte[] first = connections.peek();
            return first == null ? new byte[0] : first;
        }

        void clear() {
            connections.clear();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
