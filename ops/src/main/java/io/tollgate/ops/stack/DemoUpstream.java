package io.tollgate.ops.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tollgate.shared.concurrent.DaemonThreads;
import io.tollgate.shared.json.Json;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;

/**
 * The demo backend: every request gets 200 and a JSON echo {@code {"method", "path", "headers": {lower-cased
 * name: value}}}, so a caller sees exactly which identity headers the gateway set. It serves API {@code mobile} under
 * {@code /mobile/}, and any API an operator adds with this upstream (e.g. through {@code tollgate apply}) under its
 * own prefix.
 */
public final class DemoUpstream implements AutoCloseable {
    private static final ObjectMapper JSON = Json.mapper();
    private final HttpServer server;
    private final ExecutorService executor;

    private DemoUpstream(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static DemoUpstream start(String host, int port) throws IOException {
        return serve(HttpServer.create(new InetSocketAddress(host, port), 64));
    }

    /** The same upstream over HTTPS, presenting the key and certificate of {@code tls}. */
    public static DemoUpstream startTls(String host, int port, SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(host, port), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return serve(server);
    }

    private static DemoUpstream serve(HttpServer server) {
        ExecutorService executor = Executors.newFixedThreadPool(4, DaemonThreads.named("demo-upstream"));
        server.setExecutor(executor);
        server.createContext("/", DemoUpstream::handle);
        server.start();
        return new DemoUpstream(server, executor);
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            URI uri = exchange.getRequestURI();
            String path = uri.getRawPath();
            Map<String, String> headers = new TreeMap<>();
            for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
                headers.put(h.getKey().toLowerCase(Locale.ROOT), String.join(", ", h.getValue()));
            }
            String fullPath = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
            Map<String, Object> echo = new java.util.LinkedHashMap<>();
            echo.put("method", exchange.getRequestMethod());
            echo.put("path", fullPath);
            echo.put("headers", headers);
            send(exchange, 200, echo);
        }
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
