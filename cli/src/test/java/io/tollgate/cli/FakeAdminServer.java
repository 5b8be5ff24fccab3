package io.tollgate.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A small HTTP server for the server behaviours the real stack cannot easily produce on demand (a healthcheck
 * with a failing check, a task answering 500, a slow rebuild's progress); every command also runs against the
 * real services in {@link OperatorCliStackIT}. It records every request.
 */
final class FakeAdminServer implements AutoCloseable {
    record Request(String method, String path, String query, String authorization, String contentType, String body,
                   String cookie, String csrf) {
    }

    /** A status, a JSON body and an optional {@code Set-Cookie} header. */
    record Answer(int status, String body, String setCookie) {
        Answer(int status, String body) {
            this(status, body, null);
        }
    }

    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Function<Request, Answer>> routes = new ConcurrentHashMap<>();

    FakeAdminServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    FakeAdminServer route(String path, Function<Request, Answer> answer) {
        routes.put(path, answer);
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("Cookie"),
                    exchange.getRequestHeaders().getFirst("X-CSRF-Token"));
            requests.add(request);
            Function<Request, Answer> route = routes.get(request.path());
            Answer answer = route == null ? new Answer(404, "{\"code\":404,\"message\":\"HTTP 404 Not Found\"}")
                    : route.apply(request);
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (answer.setCookie() != null) {
                exchange.getResponseHeaders().set("Set-Cookie", answer.setCookie());
            }
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
