package io.tollgate.gateway;

import io.tollgate.gateway.config.RouteConfig;
import io.tollgate.gateway.testing.GatewayFixture;
import io.tollgate.gateway.testing.Gateways;
import io.tollgate.gateway.testing.RecordingUpstream;
import io.tollgate.gateway.testing.TestIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway as an HTTP intermediary, spoken to in raw bytes: the entrance refuses what would let a client talk
 * past it (a request hidden behind {@code Connection: Content-Length} among them), strips the identity families,
 * drops trailers, replaces forwarded headers unless the peer is a trusted proxy, and frames what it forwards
 * itself.
 */
class IntermediaryIT {
    private static final AtomicInteger USERS = new AtomicInteger();
    private static RawUpstream raw;

    @RegisterExtension
    static final GatewayFixture FIXTURE = GatewayFixture.nodes("intermediary").beforeNodes(fixture -> {
        raw = new RawUpstream();
    }).configure((config, fixture) -> {
        List<RouteConfig> routes = new ArrayList<>(config.routes);
        RouteConfig hr = Gateways.route("mobile", "/hr/", fixture.upstream().uri());
        hr.identityHeaderFamilies = List.of("X-User-*", "X-Tenant");
        routes.add(hr);
        routes.add(Gateways.route(Gateways.ORDERS, "/raw/", raw.uri())); // its plan grants write: bodies are POSTed
        config.routes = routes;
        config.proxy.trustedProxies = List.of("127.0.0.2/32");
    });

    @AfterAll
    static void stop() throws Exception {
        raw.close();
    }

    @BeforeEach
    void clear() {
        raw.clear();
    }

    private static String token(String scope) {
        return FIXTURE.issuer().token("user-" + USERS.incrementAndGet() + "-" + System.nanoTime() % 100_000, scope);
    }

    /** A token for the orders API (the raw route), whose plan grants read and write. */
    private static String ordersToken() {
        return FIXTURE.issuer().sign(TestIssuer.claims("user-" + USERS.incrementAndGet() + "-"
                + System.nanoTime() % 100_000, "read write").audience(List.of(Gateways.ORDERS)).build());
    }

    // ---- item 1: Connection, hop-by-hop, framing ----

    @Test
    void theIssuesSmuggledRequestBehindConnectionContentLengthNeverReachesTheUpstream() throws Exception {
        String smuggled = "POST /mobile/smuggled HTTP/1.1\r\nHost: x\r\nX-Authenticated-UserId: bob\r\n"
                + "X-Authenticated-Scope: read write\r\nX-ApiPlan: premium\r\nContent-Length: 0\r\n\r\n";
        String request = "GET /mobile/hello HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token("read")
                + "\r\nConnection: keep-alive, Content-Length\r\nContent-Length: " + smuggled.length() + "\r\n\r\n"
                + smuggled;

        Answer answer = exchange(request, null);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text()).contains("\"error\":\"invalid_request\"").containsIgnoringCase("connection: close");
        assertThat(answer.closed()).isTrue();
        Thread.sleep(300);
        assertThat(FIXTURE.upstream().count()).isZero();
    }

    @Test
    void theIssuesConnectionNamingIdentityHeadersIsRefusedAndNothingIsForwarded() throws Exception {
        String request = "GET /mobile/hello HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token("read")
                + "\r\nConnection: X-Authenticated-UserId, X-ApiPlan\r\n\r\n";

        Answer answer = exchange(request, null);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text()).containsIgnoringCase("connection: close");
        assertThat(answer.closed()).isTrue();
        assertThat(FIXTURE.upstream().count()).isZero();
    }

    @Test
    void aBodyOnAGetIsForwardedWithTheGatewaysOwnLengthAndHopByHopHeadersAreGone() throws Exception {
        String request = "GET /mobile/hello HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token("read")
                + "\r\nConnection: keep-alive, X-Private\r\nX-Private: secret\r\nKeep-Alive: timeout=5\r\n"
                + "Content-Length: 005\r\nTE: trailers\r\nUpgrade: h2c\r\n\r\nhello";

        Answer answer = exchange(request, null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(FIXTURE.upstream().count()).isEqualTo(1);
        RecordingUpstream.Received received = FIXTURE.upstream().last();
        assertThat(new String(received.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(received.header("content-length")).isEqualTo("5");
        assertThat(received.headers()).doesNotContainKeys("x-private", "keep-alive", "te", "upgrade");
    }

    @Test
    void aBodyTheClientStopsSendingIsTheClients408NotTheUpstreams504() throws Exception {
        String request = "POST /orders/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ordersToken()
                + "\r\nContent-Length: 10\r\n\r\nhello"; // 5 of the 10 bytes; the route's readTimeout is 1 s

        Answer answer = exchange(request, null);

        assertThat(answer.status()).isEqualTo(408);
        assertThat(answer.text()).contains("\"error\":\"invalid_request\"").containsIgnoringCase("connection: close");
        assertThat(answer.closed()).isTrue();
    }

    // ---- item 2: the identity header namespace, trailers ----

    @Test
    void everyIdentityFamilyTheClientSendsIsStrippedBeforeThePipeline() throws Exception {
        String request = "GET /mobile/hello HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token("read")
                + "\r\nX-Consumer-ID: 42\r\nX-Consumer-Groups: admins\r\nX-Anonymous-Consumer: false\r\n"
                + "X_Credential_Username: root\r\nx-authenticated-userid: bob\r\nX-AUTHENTICATED-USERID: eve\r\n"
                + "X-Authenticated-Groups: admin\r\nX-ApiPlan: premium\r\nx_apiplan: gold\r\n\r\n";

        assertThat(exchange(request, null).status()).isEqualTo(200);

        var headers = FIXTURE.upstream().last().headers();
        assertThat(headers).doesNotContainKeys("x-consumer-id", "x-consumer-groups", "x-anonymous-consumer",
                "x_credential_username", "x-authenticated-groups", "x_apiplan");
        assertThat(headers.get("x-authenticated-userid")).hasSize(1).noneMatch(v -> v.equals("bob") || v.equals("eve"));
        assertThat(headers.get("x-apiplan")).containsExactly("basic");
    }

    @Test
    void aRouteStripsTheFamiliesItConfigures() throws Exception {
        String request = "GET /hr/people HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token("read")
                + "\r\nX-User-Role: admin\r\nX_User_Id: 7\r\nX-Tenant: acme\r\nX-Tenants: kept\r\n\r\n";

        assertThat(exchange(request, null).status()).isEqualTo(200);

        assertThat(FIXTURE.upstream().last().headers()).doesNotContainKeys("x-user-role", "x_user_id", "x-tenant")
                .containsKey("x-tenants");
    }

    @Test
    void chunkedTrailersAreDropped() throws Exception {
        String request = "POST /raw/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ordersToken()
                + "\r\nTransfer-Encoding: chunked\r\nTrailer: X-Authenticated-UserId\r\n\r\n"
                + "5\r\nhello\r\n0\r\nX-Authenticated-UserId: bob\r\nX-ApiPlan: premium\r\n\r\n";

        Answer answer = exchange(request, null);

        assertThat(answer.status()).isEqualTo(200);
        String forwarded = raw.received();
        assertThat(forwarded).contains("5\r\nhello\r\n0\r\n\r\n").doesNotContain("bob").doesNotContain("premium");
        assertThat(forwarded.toLowerCase(Locale.ROOT)).doesNotContain("\r\ntrailer:");
    }

    @Test
    void aChunkedBodyWhoseFramingBreaksIsNeverCompletedUpstream() throws Exception {
        String request = "POST /raw/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ordersToken()
                + "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nfffffffffffffffffffff\r\nx\r\n0\r\n\r\n";

        Answer answer = exchange(request, null);

        assertThat(answer.status()).isIn(400, -1);
        assertThat(answer.closed()).isTrue();
        Thread.sleep(300);
        assertThat(raw.received()).doesNotContain("0\r\n\r\n");
    }

    // ---- item 3: forwarded headers ----

    @Test
    void forwardedHeadersFromAClientAreReplacedByTheGatewaysOwn() throws Exception {
        String request = "GET /mobile/hello HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: Bearer " + token("read")
                + "\r\nX-Forwarded-For: 10.9.8.7\r\nX-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: https\r\n"
                + "X-Forwarded-Port: 443\r\nForwarded: for=10.9.8.7;proto=https\r\nX-Real-IP: 10.9.8.7\r\n\r\n";

        assertThat(exchange(request, null).status()).isEqualTo(200);

        var received = FIXTURE.upstream().last();
        assertThat(received.headers().get("x-forwarded-for")).containsExactly("127.0.0.1");
        assertThat(received.headers().get("x-real-ip")).containsExactly("127.0.0.1");
        assertThat(received.headers().get("x-forwarded-host")).containsExactly("api.example.com");
        assertThat(received.headers().get("x-forwarded-proto")).containsExactly("http");
        assertThat(received.headers().get("x-forwarded-port")).containsExactly(Integer.toString(FIXTURE.node().port()));
        assertThat(received.headers().get("forwarded"))
                .containsExactly("for=127.0.0.1;host=\"api.example.com\";proto=http");
    }

    @Test
    void aTrustedProxysForwardedHeadersAreAppendedTo() throws Exception {
        String request = "GET /mobile/hello HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: Bearer " + token("read")
                + "\r\nX-Forwarded-For: 198.51.100.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 443\r\n"
                + "Forwarded: for=198.51.100.7;proto=https\r\n\r\n";

        assertThat(exchange(request, InetAddress.getByName("127.0.0.2")).status()).isEqualTo(200);

        var received = FIXTURE.upstream().last();
        assertThat(received.headers().get("x-forwarded-for")).containsExactly("198.51.100.7, 127.0.0.2");
        assertThat(received.headers().get("x-real-ip")).containsExactly("198.51.100.7");
        assertThat(received.headers().get("x-forwarded-proto")).containsExactly("https");
        assertThat(received.headers().get("x-forwarded-port")).containsExactly("443");
        assertThat(received.headers().get("forwarded"))
                .containsExactly("for=198.51.100.7;proto=https, for=127.0.0.2;host=\"api.example.com\";proto=http");
    }

    // ---- raw plumbing ----

    record Answer(int status, String text, boolean closed) {
    }

    /** Sends {@code request} on a fresh connection (from {@code from},
            if given) and reads until close or 1.5 s of silence. */
    private static Answer exchange(String request, InetAddress from) throws IOException {
        try (Socket socket = new Socket()) {
            if (from != null) {
                socket.bind(new InetSocketAddress(from, 0));
            }
            socket.connect(new InetSocketAddress("127.0.0.1", FIXTURE.node().port()), 2_000);
            socket.setSoTimeout(1_500);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean closed = false;
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                }
                closed = true;
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (IOException e) {
                closed = true; // reset
            }
            String text = out.toString(StandardCharsets.ISO_8859_1);
            int status = text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
            return new Answer(status, text, closed);
        }
    }

    /** An upstream that keeps the exact bytes it receives and answers 200 once a chunked body's last chunk is in. */
    static final class RawUpstream implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final ConcurrentLinkedQueue<byte[]> chunks = new ConcurrentLinkedQueue<>();
        private final Thread acceptor;

        RawUpstream() throws IOException {
            acceptor = new Thread(this::acceptLoop, "raw-upstream");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread t = new Thread(() -> serve(socket), "raw-upstream-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                socket.setSoTimeout(1_000);
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                while (true) {
                    int n;
                    try {
                        n = in.read(buffer);
                    } catch (SocketTimeoutException e) {
                        n = 0;
                    }
                    if (n < 0) {
                        return;
                    }
                    if (n > 0) {
                        chunks.add(java.util.Arrays.copyOf(buffer, n));
                        seen.write(buffer, 0, n);
                    }
                    String text = seen.toString(StandardCharsets.ISO_8859_1);
                    if (n == 0 || text.endsWith("\r\n0\r\n\r\n")) {
                        socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                        seen.reset();
                    }
                }
            } catch (IOException e) {
                // the connection ended
            }
        }

        String received() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            chunks.forEach(all::writeBytes);
            return all.toString(StandardCharsets.ISO_8859_1);
        }

        void clear() {
            chunks.clear();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
