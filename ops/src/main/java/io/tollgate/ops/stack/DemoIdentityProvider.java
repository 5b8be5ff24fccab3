package io.tollgate.ops.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tollgate.shared.concurrent.DaemonThreads;
import io.tollgate.shared.json.Json;
import io.tollgate.shared.net.PercentDecoding;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The demo HTTP identity provider: a headless credential-check API serving Tollgate's HTTP identity provider
 * contract over the demo users ({@link DemoUsers}, the demo LDAP directory's data).
 * <ul>
 *   <li>{@code POST /credentials/check} {@code {"username","password"}}: 200 profile, 401 wrong credentials,
 *       400 a malformed request;</li>
 *   <li>{@code GET /users/{sub}}: 200 profile, 404 no such user;</li>
 *   <li>{@code GET /health}: 200.</li>
 * </ul>
 * A profile is {@code {"sub","groups","disabled","licenseExpires"}} (an ISO-8601 instant or null). The faults a
 * test needs (down, slow, a disabled user) are methods of this class, reachable only in the launcher's own JVM:
 * the HTTP interface has no administration at all. Nothing is logged, so no password can be.
 */
public final class DemoIdentityProvider implements AutoCloseable {
    public static final String CHECK_PATH = "/credentials/check";
    public static final String USERS_PATH = "/users/";
    private static final ObjectMapper JSON = Json.mapper();
    private static final int MAX_BODY = 16 * 1024;

    private final String host;
    private final int port;
    private final DemoUsers users;
    private final ExecutorService executor;
    private volatile HttpServer server;
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean slowProfilesOnly;

    private DemoIdentityProvider(String host, int port, DemoUsers users) {
        this.host = host;
        this.port = port;
        this.users = users;
        this.executor = Executors.newCachedThreadPool(DaemonThreads.named("demo-idp"));
    }

    /** Starts the provider on {@code host:port} over {@code users}. */
    static DemoIdentityProvider start(String host, int port, DemoUsers users) throws IOException {
        DemoIdentityProvider idp = new DemoIdentityProvider(host, port, users);
        idp.up();
        return idp;
    }

    public String url() {
        return "http://" + host + ":" + port;
    }

    /** Stops listening: callers get "connection refused" until {@link #up()}. */
    public synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Listens again (after {@link #down()}); no-op when listening. */
    public synchronized void up() throws IOException {
        if (server != null) {
            return;
        }
        HttpServer created = HttpServer.create(new InetSocketAddress(host, port), 64);
        created.setExecutor(executor);
        created.createContext("/", this::handle);
        created.start();
        server = created;
    }

    public boolean listening() {
        return server != null;
    }

    /** Every answer waits {@code delay} first (zero: answer at once); pending answers follow a change at once. */
    public void slow(Duration delay) {
        this.slowProfilesOnly = false;
        this.delay = delay;
    }

    /** Only profile reads ({@code GET /users/{sub}}) wait {@code delay}; credential checks answer at once. */
    public void slowProfiles(Duration delay) {
        this.slowProfilesOnly = true;
        this.delay = delay;
    }

    /** Disables or enables a user, as an administrator would in the provider; false if there is no such user. */
    public boolean setDisabled(String sub, boolean disabled) {
        return users.setDisabled(sub, disabled);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            boolean profile = path.startsWith(USERS_PATH);
            waitIfSlow(profile);
            if (path.equals(CHECK_PATH)) {
                if (!method.equals("POST")) {
                    send(exchange, 405, error("method_not_allowed", "POST {\"username\",\"password\"}"));
                } else if (body.length > MAX_BODY) {
                    send(exchange, 413, error("request_too_large", "at most " + MAX_BODY + " bytes"));
                } else {
                    check(exchange, body);
                }
            } else if (profile) {
                if (!method.equals("GET")) {
                    send(exchange, 405, error("method_not_allowed", "GET " + USERS_PATH + "{sub}"));
                } else {
                    String sub = PercentDecoding.decode(path.substring(USERS_PATH.length()),
                            PercentDecoding.Plus.LITERAL);
                    Optional<DemoUsers.User> user = users.profile(sub);
                    if (user.isPresent()) {
                        send(exchange, 200, profile(user.get()));
                    } else {
                        send(exchange, 404, error("not_found", "no such user"));
                    }
                }
            } else if (path.equals("/health")) {
                send(exchange, 200, JSON.createObjectNode().put("status", "ok"));
            } else {
                send(exchange, 404, error("not_found", "POST " + CHECK_PATH + " or GET " + USERS_PATH + "{sub}"));
            }
        } catch (PercentDecoding.MalformedException e) { // a malformed %-escape in the path
            send(exchange, 400, error("invalid_request", "malformed path"));
        }
    }

    private void check(HttpExchange exchange, byte[] body) throws IOException {
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            send(exchange, 400, error("invalid_request", "the body is not JSON"));
            return;
        }
        if (request == null || !request.path("username").isTextual() || !request.path("password").isTextual()) {
            send(exchange, 400, error("invalid_request", "a JSON object with the strings username and password"));
            return;
        }
        Optional<DemoUsers.User> user = users.check(request.get("username").asText(), request.get("password").asText());
        if (user.isPresent()) {
            send(exchange, 200, profile(user.get()));
        } else {
            send(exchange, 401, error("invalid_credentials", "wrong username or password"));
        }
    }

    private void waitIfSlow(boolean profile) {
        long start = System.nanoTime();
        while (true) {
            Duration now = delay;
            if (now.isZero() || (slowProfilesOnly && !profile) || System.nanoTime() - start >= now.toNanos()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static ObjectNode profile(DemoUsers.User user) {
        ObjectNode json = JSON.createObjectNode().put("sub", user.sub());
        var groups = json.putArray("groups");
        user.groups().stream().sorted().forEach(groups::add);
        json.put("disabled", user.disabled());
        json.put("licenseExpires", user.licenseExpires() == null ? null : user.licenseExpires().toString());
        return json;
    }

    private static ObjectNode error(String code, String description) {
        return JSON.createObjectNode().put("error", code).put("error_description", description);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        down();
        executor.shutdownNow();
    }
}
