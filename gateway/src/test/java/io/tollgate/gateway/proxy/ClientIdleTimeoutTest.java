package io.tollgate.gateway.proxy;

import io.dropwizard.util.Duration;
import io.tollgate.gateway.GatewayConfiguration;
import io.tollgate.gateway.core.Pipeline;
import io.tollgate.gateway.core.RouteTable;
import io.tollgate.gateway.steps.RouteMatchStep;
import io.tollgate.gateway.testing.Gateways;
import io.tollgate.gateway.testing.RecordingUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proxy.clientIdleTimeout} (1 s here) on real sockets: a connection that waits for a request that long is
 * closed, whether it never sent one, sent half a head, or was answered; an answer that takes longer (a slow
 * upstream, a client reading a large body slowly) is never cut by it. Which of the gateway's buffers holds a slow
 * reader's bytes (its own queue or the kernel's) is up to the kernel's buffer tuning; the tests hold the outcome.
 */
class ClientIdleTimeoutTest {
    private static RecordingUpstream upstream;
    private static ProxyServer proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = new RecordingUpstream();
        GatewayConfiguration config = new GatewayConfiguration();
        config.proxy.port = 0;
        config.proxy.bindHost = "127.0.0.1";
        config.proxy.ioThreads = 1;
        config.proxy.clientIdleTimeout = Duration.seconds(1);
        config.routes = List.of(Gateways.route("mobile", "/mobile/", upstream.uri()));
        RouteTable routes = new RouteTable(config.routes, config.routeDefaults);
        proxy = config.proxy.build(routes);
        proxy.start(new Pipeline(List.of(new RouteMatchStep(routes))), (exchange, status, outcome, nanos) -> { });
    }

    @AfterAll
    static void stop() {
        proxy.stop();
        upstream.close();
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 2_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads one answer with a Content-Length body; returns its body's length. */
    private static int readAnswer(InputStream in, long pauseEvery, long pauseMillis) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            b = in.read();
            if (b < 0) {
                throw new IOException("closed in the head: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("HTTP/1.1 200 ");
        int length = Integer.parseInt(text.replaceAll("(?s).*\r\n[Cc]ontent-[Ll]ength: *([0-9]+)\r\n.*", "$1"));
        byte[] buffer = new byte[8192];
        long read = 0;
        long sinceLastPause = 0;
        while (read < length) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - read));
            if (n < 0) {
                break;
            }
            read += n;
            sinceLastPause += n;
            if (pauseEvery > 0 && sinceLastPause >= pauseEvery) {
                sinceLastPause = 0;
                Thread.sleep(pauseMillis);
            }
        }
        return (int) read;
    }

    /** Millis until the gateway closes {@code socket}, reading (and discarding) anything before. */
    private static long millisUntilClosed(Socket socket) throws IOException {
        long start = System.nanoTime();
        try {
            while (socket.getInputStream().read() >= 0) {
                // nothing more is expected
            }
        } catch (SocketTimeoutException e) {
            return -1;
        } catch (IOException reset) {
            // closed
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aKeepAliveConnectionIsKeptBetweenRequestsAndClosedOnceItWaitsLongerThanTheTimeout() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "/mobile/one");
            readAnswer(socket.getInputStream(), 0, 0);
            Thread.sleep(400);
            send(socket, "/mobile/two"); // well within the timeout: the same connection serves it
            readAnswer(socket.getInputStream(), 0, 0);

            long closedAfter = millisUntilClosed(socket);

            assertThat(closedAfter).isBetween(500L, 5_000L);
        }
    }

    @Test
    void aConnectionThatNeverSendsARequestIsClosed() throws Exception {
        try (Socket socket = connect()) {
            assertThat(millisUntilClosed(socket)).isBetween(500L, 5_000L);
        }
    }

    @Test
    void aRequestHeadTricklingInDoesNotHoldTheConnectionOpen() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /mobile/slowloris HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
            boolean closed = false;
            long start = System.nanoTime();
            try {
                for (int i = 0; i < 40; i++) { // a header line every 300 ms: 12 s, if the gateway let it
                    Thread.sleep(300);
                    out.write(("X-Pad-" + i + ": x\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            } catch (IOException e) {
                closed = true; // broken pipe or reset: the gateway closed it
            }
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            closed = closed || millisUntilClosed(socket) >= 0;
            assertThat(closed).isTrue();
            assertThat(elapsedMillis).isLessThan(10_000L);
        }
    }

    @Test
    void anUpstreamSlowerThanTheTimeoutIsStillAnswered() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "/mobile/slow"); // the upstream answers after 3 s, three idle timeouts

            assertThat(readAnswer(socket.getInputStream(), 0, 0)).isPositive();
        }
    }

    @Test
    void aLargeAnswerReadSlowlyArrivesWhole() throws Exception {
        try (Socket socket = new Socket()) {
            // A small window, so the answer backs up behind this socket; on loopback the gateway's kernel send
            // buffer takes most of it, so this holds the whole-answer promise, not the unsent-bytes rule alone.
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 2_000);
            socket.setSoTimeout(10_000);
            send(socket, "/mobile/big");

            // 3 MiB at 256 KiB per 400 ms: about 5 s, five idle timeouts
            int read = readAnswer(socket.getInputStream(), 256 * 1024, 400);

            assertThat(read).isEqualTo(3 * 1024 * 1024 + 17);
        }
    }
}
