package io.tollgate.gateway;

import io.tollgate.gateway.config.ListenerTlsFactory;
import io.tollgate.gateway.config.TlsEngine;
import io.tollgate.gateway.testing.GatewayFixture;
import io.tollgate.gateway.testing.TestCertificates;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Gateways whose listener speaks TLS (proxy.tls), in front of a plain HTTP recording upstream: one node on each TLS
 * engine ({@code proxy.tlsEngine}), every test run against both.
 */
class TlsListenerIT {
    @TempDir
    static Path dir; // the TempDir extension fills it before any registered extension's beforeAll
    private static TestCertificates.Authority ca;
    private static Path chain;
    private static Path key;

    @RegisterExtension
    static final GatewayFixture FIXTURE = GatewayFixture.nodes("tls-openssl", "tls-jdk").beforeNodes(fixture -> {
        ca = TestCertificates.Authority.create("Tollgate Test CA");
        TestCertificates.Issued leaf = ca.issue(List.of("localhost"), List.of("127.0.0.1"));
        chain = TestCertificates.writeCertificates(dir.resolve("chain.pem"), leaf.chain());
        key = TestCertificates.writePrivateKey(dir.resolve("key.pem"), leaf.keys(), null);
    }).configure((config, fixture) -> {
        ListenerTlsFactory tls = new ListenerTlsFactory();
        tls.certificateChain = chain.toString();
        tls.privateKey = key.toString();
        config.proxy.tls = tls;
        config.proxy.tlsEngine = config.node.equals("tls-jdk") ? TlsEngine.JDK : TlsEngine.OPENSSL;
    });

    /** The port of the node on {@code engine}. */
    private static int port(TlsEngine engine) {
        return FIXTURE.node(engine == TlsEngine.OPENSSL ? 0 : 1).port();
    }

    @ParameterizedTest
    @CsvSource({"OPENSSL, TLSv1.3", "OPENSSL, TLSv1.2", "JDK, TLSv1.3", "JDK, TLSv1.2"})
    void aRequestOverTlsIsVerifiedAndProxiedWithIdentityHeaders(TlsEngine engine, String protocol) throws Exception {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[]{protocol});
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TestCertificates.clientTrusting(ca.certificate())).sslParameters(parameters)
                .connectTimeout(Duration.ofSeconds(2)).build();
        String user = "tls-user-" + engine + "-" + protocol;
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + port(engine) + "/mobile/items/1"))
                .header("Authorization", "Bearer " + FIXTURE.issuer().token(user, "read"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isEqualTo(protocol));
        assertThat(FIXTURE.upstream().count()).isEqualTo(1);
        assertThat(FIXTURE.upstream().last().uri()).isEqualTo("/mobile/items/1");
        assertThat(FIXTURE.upstream().last().headers().get("x-authenticated-userid")).containsExactly(user);
        assertThat(FIXTURE.upstream().last().headers().get("x-forwarded-proto")).containsExactly("https");
        assertThat(FIXTURE.upstream().last().header("forwarded")).endsWith(";proto=https");
        assertThat(FIXTURE.upstream().last().headers().get("x-apiplan")).containsExactly("basic");
    }

    /**
     * Which engine answered, seen on the wire: BoringSSL's TLS 1.3 suites always include ChaCha20-Poly1305 (for
     * clients without AES instructions), the JDK engine's (Netty's default list) do not. A client offering only that
     * suite is served by the openssl node and refused by the jdk node, so each node runs the engine it was given.
     */
    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void aTls13ClientOfferingOnlyChaCha20IsServedByOpenSslAlone(TlsEngine engine) throws Exception {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[]{"TLSv1.3"});
        parameters.setCipherSuites(new String[]{"TLS_CHACHA20_POLY1305_SHA256"});
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TestCertificates.clientTrusting(ca.certificate())).sslParameters(parameters)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port(engine) + "/mobile/items/1"))
                .header("Authorization", "Bearer " + FIXTURE.issuer().token("chacha-user-" + engine, "read"))
                .timeout(Duration.ofSeconds(10)).build();

        if (engine == TlsEngine.OPENSSL) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.sslSession()).hasValueSatisfying(s ->
                    assertThat(s.getCipherSuite()).isEqualTo("TLS_CHACHA20_POLY1305_SHA256"));
            assertThat(FIXTURE.upstream().count()).isEqualTo(1);
        } else {
            assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class);
            assertThat(FIXTURE.upstream().count()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void aTokenlessRequestOverTlsIsStillRefusedWith401(TlsEngine engine) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TestCertificates.clientTrusting(ca.certificate())).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + port(engine) + "/mobile/items/1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(FIXTURE.upstream().count()).isZero();
    }

    /**
     * Raw ClientHellos, so the refusal is the gateway's and not the test JVM's (whose own TLS client would not
     * even offer 1.1). The same hello that names TLS 1.2 gets a ServerHello, which shows the hello is sound.
     */
    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void aTls11ClientHelloIsAnsweredWithAProtocolVersionAlert(TlsEngine engine) throws Exception {
        byte[] tls12 = exchange(engine, clientHello(0x0303));
        assertThat(tls12[0]).as("record type: handshake").isEqualTo((byte) 22);
        assertThat(tls12[5]).as("handshake type: ServerHello").isEqualTo((byte) 2);

        byte[] tls11 = exchange(engine, clientHello(0x0302));
        assertThat(tls11.length).isGreaterThanOrEqualTo(7);
        assertThat(tls11[0]).as("record type: alert").isEqualTo((byte) 21);
        assertThat(tls11[5]).as("alert level: fatal").isEqualTo((byte) 2);
        assertThat(tls11[6]).as("alert: protocol_version").isEqualTo((byte) 70);
        assertThat(FIXTURE.upstream().count()).isZero();
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void plainHttpOnTheTlsPortGetsNoHttpAnswerAndReachesNoUpstream(TlsEngine engine) throws Exception {
        byte[] answer = exchange(engine, ("GET /mobile/items/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + FIXTURE.issuer().token("plain-user", "read") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotStartWith("HTTP/");
        assertThat(FIXTURE.upstream().count()).isZero();
    }

    /** Sends {@code bytes} to the node on {@code engine}, returns what it answered before it closed (or within 3 s). */
    private static byte[] exchange(TlsEngine engine, byte[] bytes) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port(engine))) {
            socket.setSoTimeout(3_000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                int n;
                while (answer.size() < 7 && (n = in.read(buffer)) > 0) {
                    answer.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // closed or silent: what arrived so far is the answer
            }
            return answer.toByteArray();
        }
    }

    /** A minimal ClientHello (RFC 5246 §7.4.1.2) naming {@code version}, with ECDHE suites a 1.2 server accepts. */
    private static byte[] clientHello(int version) {
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        u16(hello, version);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        hello.writeBytes(random);
        hello.write(0); // no session id
        int[] suites = {0xc02b, 0xc02f, 0xc009, 0xc013, 0x002f};
        u16(hello, suites.length * 2);
        for (int suite : suites) {
            u16(hello, suite);
        }
        hello.write(1);
        hello.write(0); // compression: null
        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        u16(extensions, 0x000a); // supported_groups: secp256r1
        u16(extensions, 4);
        u16(extensions, 2);
        u16(extensions, 0x0017);
        u16(extensions, 0x000b); // ec_point_formats: uncompressed
        u16(extensions, 2);
        extensions.write(1);
        extensions.write(0);
        u16(extensions, 0x000d); // signature_algorithms: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256
        u16(extensions, 8);
        u16(extensions, 6);
        u16(extensions, 0x0403);
        u16(extensions, 0x0804);
        u16(extensions, 0x0401);
        u16(hello, extensions.size());
        hello.writeBytes(extensions.toByteArray());
        byte[] body = hello.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(22); // handshake
        u16(record, 0x0301);
        u16(record, body.length + 4);
        record.write(1); // client_hello
        record.write(0);
        u16(record, body.length);
        record.writeBytes(body);
        return record.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int value) {
        out.write((value >> 8) & 0xff);
        out.write(value & 0xff);
    }
}
