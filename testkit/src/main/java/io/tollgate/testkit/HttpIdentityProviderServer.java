package io.tollgate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tollgate.shared.concurrent.DaemonThreads;
import io.tollgate.shared.json.Json;
import io.tollgate.shared.net.PercentDecoding;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The customer's headless HTTP identity provider, as a test plays it (JDK HTTP server on a free port): the
 * contract of token-api's and policy-worker's README ({@code POST /credentials/check}, {@code GET /users/{sub}},
 * {@code GET /health}) with the demo users (alice, bob, erin, carol, dave: {@code <name>-secret}; carol not in
 * {@code mobile-users}; dave's licence expired in 2024). A test changes users, answers a status instead
 * ({@link #failWith}), answers late ({@link #delay}), or is refused connections ({@link #stop} then
 * {@link #start} on the same port). Usable as a JUnit 5 extension.
 */
public final class HttpIdentityProviderServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    public static final String CHECK_PATH = "/credentials/check";
    public static final String USERS_PATH = "/users/";
    public static final Instant VALID_LICENSE = Instant.parse("2099-12-31T23:59:59Z");
    public static final Instant EXPIRED_LICENSE = Instant.parse("2024-01-01T00:00:00Z");

    /** One user of the provider. */
    public record User(String sub, String password, List<String> groups, boolean disabled, Instant licenseExpires) {
        public User withDisabled(boolean value) {
            return new User(sub, password, groups, value, licenseExpires);
        }
    }

    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final AtomicReference<Integer> failStatus = new AtomicReference<>();
    private final AtomicReference<String> failBody = new AtomicReference<>();
    private final AtomicInteger failuresLeft = new AtomicInteger(-1);
    private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
    private final AtomicInteger checks = new AtomicInteger();
    private final AtomicInteger profileReads = new AtomicInteger();
    private volatile String requiredAuthorization;
    private volatile HttpServer server;
    private int port;

    public HttpIdentityProviderServer() {
        demoUsers();
    }

    /** The demo directory's users, as docs/demo.md lists them. */
    public void demoUsers() {
        users.clear();
        for (String name : List.of("alice", "bob", "erin")) {
            put(new User(name, name + "-secret", List.of("mobile-users"), false, VALID_LICENSE));
        }
        put(new User("carol", "carol-secret", List.of(), false, VALID_LICENSE));
        put(new User("dave", "dave-secret", List.of("mobile-users"), false, EXPIRED_LICENSE));
    }

    public void put(User user) {
        users.put(user.sub(), user);
    }

    public void remove(String sub) {
        users.remove(sub);
    }

    public User user(String sub) {
        return users.get(sub);
    }

    public void disable(String sub) {
        users.computeIfPresent(sub, (k, u) -> u.withDisabled(true));
    }

    /** Every request answers this status (e.g. 503) until {@link #recover}. */
    public void failWith(int status) {
        answer(status, "{\"error\":\"unavailable\"}");
    }

    /** Every request answers this status and body (any text) until {@link #recover}. */
    public void answer(int status, String body) {
        failuresLeft.set(-1);
        failBody.set(body);
        failStatus.set(status);
    }

    /** The next {@code count} requests answer {@code status}, then the provider answers normally again. */
    public void failNext(int count, int status) {
        failBody.set("{\"error\":\"unavailable\"}");
        failuresLeft.set(count);
        failStatus.set(status);
    }

    /** Every request is answered after this long (a slow provider) until {@link #recover}. */
    public void delay(Duration value) {
        delay.set(value);
    }

    /** Answers normally again (no status override, no delay). */
    public void recover() {
        failStatus.set(null);
        failuresLeft.set(-1);
        delay.set(Duration.ZERO);
    }

    /** Requests without exactly this {@code Authorization} header get 401 (null: none required). */
    public void requireAuthorization(String value) {
        requiredAuthorization = value;
    }

    public int checks() {
        return checks.get();
    }

    public int profileReads() {
        return profileReads.get();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Listens (again) on the port of the first start, a free one; nothing when already listening. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            created.setExecutor(Executors.newCachedThreadPool(DaemonThreads.named("test-http-idp")));
            created.createContext("/", this::handle);
            created.start();
            port = created.getAddress().getPort();
            server = created;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the HTTP identity provider", e);
        }
    }

    /** Stops listening: connections are refused until {@link #start}. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String checkUrl() {
        return baseUrl() + CHECK_PATH;
    }

    public String profileUrl() {
        return baseUrl() + USERS_PATH + "{sub}";
    }

    public String healthUrl() {
        return baseUrl() + "/health";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            boolean check = path.equals(CHECK_PATH) && method.equals("POST");
            boolean profile = path.startsWith(USERS_PATH) && method.equals("GET");
            if (check) {
                checks.incrementAndGet();
            } else if (profile) {
                profileReads.incrementAndGet();
            }
            Duration wait = delay.get();
            if (!wait.isZero()) {
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            Integer failing = failStatus.get();
            if (failing != null && failuresLeft.get() >= 0 && failuresLeft.getAndDecrement() <= 0) {
                failing = null;
            }
            if (failing != null) {
                send(exchange, failing, failBody.get());
                return;
            }
            String required = requiredAuthorization;
            if (required != null && !required.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"error\":\"unauthorized\"}");
                return;
            }
            if (path.equals("/health")) {
                send(exchange, 200, "{\"status\":\"ok\"}");
            } else if (check) {
                check(exchange, body);
            } else if (profile) {
                String sub = PercentDecoding.decodeOrNull(path.substring(USERS_PATH.length()),
                        PercentDecoding.Plus.LITERAL);
                User user = sub == null ? null : users.get(sub);
                if (sub == null) {
                    send(exchange, 400, "{\"error\":\"invalid_request\"}");
                } else if (user == null) {
                    send(exchange, 404, "{\"error\":\"not_found\"}");
                } else {
                    send(exchange, 200, profile(user).toString());
                }
            } else {
                send(exchange, 404, "{\"error\":\"not_found\"}");
            }
        }
    }

    private void check(HttpExchange exchange, byte[] body) throws IOException {
        JsonNode request;
        try {
            request = Json.mapper().readTree(body);
        } catch (IOException e) {
            send(exchange, 400, "{\"error\":\"bad_request\"}");
            return;
        }
        User user = users.get(request.path("username").asText(""));
        if (user == null || !user.password().equals(request.path("password").asText(null))) {
            send(exchange, 401, "{\"error\":\"invalid_credentials\"}");
            return;
        }
        send(exchange, 200, profile(user).toString());
    }

    private static ObjectNode profile(User user) {
        ObjectNode node = Json.mapper().createObjectNode().put("sub", user.sub()).put("disabled", user.disabled());
        user.groups().forEach(node.putArray("groups")::add);
        if (user.licenseExpires() == null) {
            node.putNull("licenseExpires");
        } else {
            node.put("licenseExpires", user.licenseExpires().toString());
        }
        return node;
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
