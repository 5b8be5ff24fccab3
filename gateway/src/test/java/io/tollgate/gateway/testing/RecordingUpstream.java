package io.tollgate.gateway.testing;

import com.sun.net.httpserver.HttpServer;

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

    public RecordingUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
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
        server.start();
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
