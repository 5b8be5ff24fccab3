package io.tollgate.gateway.testing;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * A real upstream HTTP server that records every request it receives. Paths containing {@code /slow}
 * answer after 3 s (timeouts); others answer 200 with a small JSON body.
 */
public final class RecordingUpstream implements AutoCloseable {
    public record Received(String method, String uri, Map<String, List<String>> headers, byte[] body, int remotePort) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();

    /** SNI host names seen by an HTTPS upstream's handshakes. */
    private final ConcurrentLinkedQueue<String> serverNames = new ConcurrentLinkedQueue<>();

    public RecordingUpstream() throws IOException {
        this(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512));
        server.start();
    }

    /** An HTTPS upstream presenting {@code tls}'s certificate; it records the SNI host names clients send. */
    public static RecordingUpstream https(SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        RecordingUpstream upstream = new RecordingUpstream(server);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                    @Override
                    public boolean matches(SNIServerName name) {
                        upstream.serverNames.add(((SNIHostName) name).getAsciiName());
                        return true;
                    }
                }));
                params.setSSLParameters(parameters);
            }
        });
        server.start();
        return upstream;
    }

    /** SNI host names received in TLS handshakes (HTTPS upstreams only). */
    public List<String> serverNames() {
        return List.copyOf(serverNames);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private RecordingUpstream(HttpServer server) {
        this.server = server;
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body,
                    exchange.getRemoteAddress().getPort()));
            if (exchange.getRequestURI().getPath().contains("/slow")) {
                try {
                    Thread.sleep(3_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] out = exchange.getRequestURI().getPath().contains("/big")
                    ? new byte[3 * 1024 * 1024 + 17]
                    : ("{\"method\":\"" + exchange.getRequestMethod() + "\",\"bytes\":" + body.length + "}")
                    .getBytes(StandardCharsets.UTF_8);
            if (out.length > 1000) {
                java.util.Arrays.fill(out, (byte) 'x');
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Connection", "keep-alive, X-Hop");
            exchange.getResponseHeaders().add("X-Hop", "must-not-pass");
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(200, -1);
            } else {
                exchange.sendResponseHeaders(200, out.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
            exchange.close();
        });
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public int count() {
        return received.size();
    }

    public Received last() {
        List<Received> all = received();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    public void clear() {
        received.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
