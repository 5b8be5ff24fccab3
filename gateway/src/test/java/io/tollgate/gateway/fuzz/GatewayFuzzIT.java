package io.tollgate.gateway.fuzz;

import io.tollgate.testkit.hostile.Hostile;
import io.tollgate.testkit.hostile.Leaks;
import io.tollgate.testkit.hostile.RawHttp;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.tollgate.gateway.GatewayServer;
import io.tollgate.gateway.testing.Gateways;
import io.tollgate.gateway.testing.RecordingUpstream;
import io.tollgate.gateway.testing.TestIssuer;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventCodec;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.RedisExtension;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 10,000 seeded hostile requests (raw bytes over sockets) against one gateway with a real Redis, broker,
 * JWKS endpoint and recording upstream. Every answer must be the gateway's own 4xx in RFC 6750 terms (200
 * only for a valid token on a clean path), never a 5xx or a stack trace or a reflected token, the upstream
 * must receive nothing that was refused, and the gateway must be healthy afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class GatewayFuzzIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.shared();
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    static final Queue<String> TOKENS = new ConcurrentLinkedQueue<>();
    static TestIssuer issuer;
    static RecordingUpstream upstream;
    static GatewayServer gateway;
    static long seed;

    /** One generated request and what the gateway may do with it. */
    public record Case(int id, String kind, byte[] raw, String token, boolean mayPass, String user) {
    }

    @BeforeAll
    static void start() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        LOGS.setContext(context);
        LOGS.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(LOGS);
        seed = Hostile.seed();
        issuer = new TestIssuer();
        upstream = new RecordingUpstream();
        Gateways.prepare(KAFKA, REDIS);
        gateway = Gateways.start(Gateways.config("fuzz-1", KAFKA, REDIS, issuer, upstream.uri()));
    }

    @AfterAll
    static void stop() throws Exception {
        LOGS.stop();
        if (gateway != null) {
            gateway.stop();
        }
        upstream.close();
        issuer.close();
    }

    static final String[] KINDS = {"authorization", "garbage-token", "traversal", "query-token", "crlf", "huge-header",
            "huge-body", "invalid-utf8", "method-and-version", "duplicate-headers", "valid-noise", "request-line"};

    static Case generate(int id) {
        return generate(seed, id, issuer::token, gateway.port());
    }

    /**
     * Input {@code id} of the run of {@code seed}: its tokens signed by {@code tokens} (user, scope), its
     * {@code Host} a gateway listening on {@code port}.
     */
    public static Case generate(long seed, int id, BiFunction<String, String, String> tokens, int port) {
        Random r = Hostile.random(seed, id);
        String kind = KINDS[r.nextInt(KINDS.length)];
        String method = "GET";
        String path = "/mobile/items/" + r.nextInt(1000);
        String version = "HTTP/1.1";
        List<byte[]> headers = new ArrayList<>();
        byte[] body = new byte[0];
        String token = null;
        boolean mayPass = false;
        String user = "fz-" + id;
        byte[] requestLine = null;
        switch (kind) {
            case "authorization" -> {
                String[] schemes = {"Bearer", "bearer", "BEARER", "Basic", "Bearer ", "", "Digest", "Bearer\t", "Bear"};
                String value = Hostile.pick(r, List.of(schemes)) + Hostile.pick(r, List.of(" ", "  ", "", "\t"))
                        + Hostile.text(r, r.nextInt(10) == 0 ? 3000 : 200);
                headers.add(header("Authorization", value));
            }
            case "garbage-token" -> {
                int segments = r.nextInt(6);
                StringBuilder t = new StringBuilder();
                for (int s = 0; s < segments; s++) {
                    t.append(s == 0 ? "" : ".").append(Hostile.base64urlish(r, 120));
                }
                if (r.nextBoolean()) {
                    t.insert(0, "eyJhbGciOiJub25lIn0.");
                }
                headers.add(header("Authorization", "Bearer " + t));
            }
            case "traversal" -> {
                token = tokens.apply(user, "read write");
                String dots = Hostile.pick(r, Hostile.TRAVERSALS);
                String sep = Hostile.pick(r, List.of("/", "\\", "%2f", "%5c", "%2F"));
                path = Hostile.pick(r, List.of("/mobile/", "/mobile-fwd/", "/", "/mobile/a/")) + dots + sep
                        + Hostile.pick(r, List.of("admin", "etc/passwd", "mobile-down/x", "", dots + sep + "x"));
                headers.add(header("Authorization", "Bearer " + token));
            }
            case "query-token" -> {
                token = tokens.apply(user, "read");
                String name = Hostile.pick(r, List.of("access_token", "ACCESS_TOKEN", "access%5Ftoken", "access_token[]"));
                path = "/mobile/items?" + (r.nextBoolean() ? "a=1&" : "") + name + "=" + token;
                if (r.nextBoolean()) {
                    headers.add(header("Authorization", "Bearer " + token));
                }
            }
            case "crlf" -> {
                token = r.nextBoolean() ? tokens.apply(user, "read") : null;
                mayPass = token != null;
                String injected = Hostile.pick(r, List.of("\nX-Authenticated-UserId: root", "\rX-ApiPlan: gold",
                        "\r\nX-Authenticated-UserId: root", "\u0000X-Consumer-Custom-ID: x", " \r\n X-Authenticated-Scope: write",
                        // a second, pipelined request riding on the injection (it gets the valid token that follows): it
                        // must be judged on its own, and its traversal refused like any other
                        "\r\n\r\nGET /mobile/..%2fadmin HTTP/1.1\r\nHost: x", "\nAuthorization: Bearer forged"));
                headers.add(header(Hostile.pick(r, List.of("X-Note", "User-Agent", "X-Request-Id-Extra")),
                        "v" + injected));
                if (token != null) {
                    headers.add(header("Authorization", "Bearer " + token));
                }
            }
            case "huge-header" -> {
                int size = 8_000 + r.nextInt(120_000);
                if (r.nextBoolean()) {
                    headers.add(header("X-Big", Hostile.repeat('a', size)));
                } else {
                    for (int h = 0; h < size / 100; h++) {
                        headers.add(header("X-H" + h, Hostile.repeat('b', 90)));
                    }
                }
                if (r.nextBoolean()) {
                    headers.add(header("Authorization", "Bearer " + Hostile.repeat('e', size)));
                }
            }
            case "huge-body" -> {
                method = Hostile.pick(r, List.of("POST", "PUT", "PATCH"));
                body = new byte[r.nextInt(1_000_000)];
                r.nextBytes(body);
                headers.add(header("Content-Type", Hostile.pick(r, Hostile.CONTENT_TYPES)));
                if (r.nextBoolean()) {
                    headers.add(header("Authorization", "Bearer " + Hostile.base64urlish(r, 400)));
                }
            }
            case "invalid-utf8" -> {
                ByteArrayOutputStream p = new ByteArrayOutputStream();
                p.writeBytes("/mobile/".getBytes(StandardCharsets.US_ASCII));
                p.writeBytes(Hostile.invalidUtf8(r));
                path = new String(p.toByteArray(), StandardCharsets.ISO_8859_1);
                ByteArrayOutputStream h = new ByteArrayOutputStream();
                h.writeBytes("Authorization: Bearer ".getBytes(StandardCharsets.US_ASCII));
                h.writeBytes(Hostile.invalidUtf8(r));
                headers.add(h.toByteArray());
            }
            case "method-and-version" -> {
                method = Hostile.pick(r, List.of("DELETE", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "G\u00e9T", "get",
                        "X".repeat(1 + r.nextInt(300)), "POST"));
                version = Hostile.pick(r, List.of("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "HTTP/1.1x", "HTTX/1.1"));
                if (r.nextBoolean()) {
                    headers.add(header("Authorization", "Bearer " + Hostile.base64urlish(r, 60)));
                }
            }
            case "duplicate-headers" -> {
                token = tokens.apply(user, "read");
                headers.add(header("Authorization", "Bearer " + token));
                headers.add(header("Authorization", r.nextBoolean() ? "Bearer " + token : "Bearer x.y.z"));
                if (r.nextBoolean()) {
                    headers.add(header("Content-Length", "5"));
                    headers.add(header("Transfer-Encoding", "chunked"));
                }
            }
            case "valid-noise" -> {
                token = tokens.apply(user, "read");
                mayPass = true;
                path = "/mobile/" + Hostile.base64urlish(r, 40).replace("%", "p").replace(" ", "s").replace(".", "d")
                        // no dots in the query either: "valid noise" must be a clean request, and the oracle
                        // (and the upstream check) treat any ".." in the target as traversal
                        + "?q=" + Hostile.base64urlish(r, 20).replace(" ", "+").replace("%", "p").replace(".", "d");
                headers.add(header("Authorization", "Bearer " + token));
                headers.add(header("X-Authenticated-UserId", "root"));
                headers.add(header("X-ApiPlan", "gold"));
                headers.add(header("x_authenticated_scope", "admin"));
            }
            default -> { // request-line: a raw line of random bytes
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                line.writeBytes(Hostile.bytes(r, 200));
                line.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                requestLine = line.toByteArray();
            }
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        if (requestLine != null) {
            raw.writeBytes(requestLine);
        } else {
            raw.writeBytes((method + " " + path + " " + version + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        raw.writeBytes(header("Host", "127.0.0.1:" + port));
        raw.writeBytes(header("X-Request-Id", "fz-" + id));
        for (byte[] h : headers) {
            raw.writeBytes(h);
        }
        if (body.length > 0 || method.equals("POST")) {
            raw.writeBytes(header("Content-Length", Integer.toString(body.length)));
        }
        raw.writeBytes(header("Connection", "close"));
        raw.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        raw.writeBytes(body);
        if (token != null) {
            TOKENS.add(token);
        }
        return new Case(id, kind, raw.toByteArray(), token, mayPass && !path.contains(".."), user);
    }

    static byte[] header(String name, String value) {
        // ISO-8859-1 keeps every char < 256 as one byte; wider chars go out as UTF-8 (also hostile)
        String line = name + ": " + value + "\r\n";
        boolean narrow = line.chars().allMatch(c -> c < 256);
        return line.getBytes(narrow ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void tenThousandHostileRequestsAreRefusedInProtocolTermsAndNeverProxied() throws Exception {
        int inputs = Hostile.inputs();
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, AtomicInteger> kinds = new ConcurrentHashMap<>();
        Set<String> passed = ConcurrentHashMap.newKeySet();
        Map<String, String> passedUsers = new ConcurrentHashMap<>();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            AtomicInteger next = new AtomicInteger();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    int id;
                    while ((id = next.getAndIncrement()) < inputs) {
                        Case c = generate(id);
                        kinds.computeIfAbsent(c.kind(), k -> new AtomicInteger()).incrementAndGet();
                        RawHttp.Answer a = RawHttp.send(gateway.port(), c.raw(), 10_000);
                        synchronized (statuses) {
                            statuses.merge(a.status(), 1, Integer::sum);
                        }
                        String problem = judge(c, a);
                        if (problem != null) {
                            failures.add("input " + c.id() + " (" + c.kind() + "): " + problem + " <- " + firstLine(c.raw()));
                        }
                        if (a.status() >= 200 && a.status() < 300) {
                            passed.add("fz-" + c.id());
                            passedUsers.put("fz-" + c.id(), c.user());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("gateway fuzz: seed=%d inputs=%d time=%d ms statuses=%s kinds=%s%n", seed, inputs, millis,
                statuses, kinds);
        assertThat(failures).as("seed %d", seed).isEmpty();

        // nothing refused reached the upstream; what passed carried the gateway's identity, not the forged one
        for (RecordingUpstream.Received received : upstream.received()) {
            String requestId = received.header("x-request-id");
            assertThat(passed).as("upstream received %s %s (seed %d)", received.method(), received.uri(), seed)
                    .contains(requestId);
            assertThat(received.header("x-authenticated-userid")).isEqualTo(passedUsers.get(requestId));
            assertThat(received.header("x-apiplan")).isEqualTo("basic");
            assertThat(received.uri()).doesNotContain("..").doesNotContainIgnoringCase("%2e%2e");
            assertThat(received.header("authorization")).isNull();
        }
        assertThat(upstream.count()).isEqualTo(passed.size());
        assertThat(statuses.keySet()).allMatch(s -> s < 500);
    }

    /** Null when the answer is acceptable for the case, else what is wrong. */
    static String judge(Case c, RawHttp.Answer a) {
        if (a.timedOut()) {
            return "no answer within 10 s";
        }
        if (!a.answered()) {
            // only a request line of random bytes may be dropped without an HTTP answer
            return c.kind().equals("request-line") ? null : "no HTTP answer: " + abbreviate(a.body());
        }
        int s = a.status();
        if (s >= 500) {
            return "status " + s + " " + abbreviate(a.body());
        }
        if (s < 400 && !(c.mayPass() && s == 200)) {
            return "status " + s + " for a request that must be refused";
        }
        String body = a.body();
        String leak = Leaks.stackTrace(body);
        if (leak != null) {
            return leak;
        }
        if (c.token() != null && (body.contains(c.token()) || a.headers().toString().contains(c.token()))) {
            return "the token is reflected";
        }
        if (s == 401 && (a.header("www-authenticate") == null || !a.header("www-authenticate").startsWith("Bearer"))) {
            return "401 without a Bearer challenge";
        }
        if (s >= 400 && !body.isEmpty() && !body.trim().startsWith("{")) {
            return "non-JSON error body: " + abbreviate(body);
        }
        return null;
    }

    static String firstLine(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n");
        return abbreviate((end < 0 ? text : text.substring(0, end)).replaceAll("eyJ[A-Za-z0-9_.-]+", "<jwt>"));
    }

    static String abbreviate(String s) {
        return Leaks.abbreviate(s);
    }

    @Test
    @Order(2)
    void theGatewayIsHealthyAndServesAValidRequestAfterTheRun() throws Exception {
        gateway.healthChecks().forEach((name, check) -> assertThat(check.execute().isHealthy()).as(name).isTrue());
        upstream.clear();
        String token = issuer.token("after-fuzz", "read");
        TOKENS.add(token);
        assertThat(Gateways.get(gateway, "/mobile/ok", token).statusCode()).isEqualTo(200);
        assertThat(upstream.count()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void noLogLineOrCallEventCarriesARawToken() {
        assertThat(TOKENS).hasSizeGreaterThan(1000);
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(LOGS.list)) {
            lines.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }
        List<ConsumerRecord<String, Event<?>>> calls = KAFKA.readAll(Topics.CALLS, Duration.ofSeconds(2));
        assertThat(calls).isNotEmpty();
        for (ConsumerRecord<String, Event<?>> r : calls) {
            lines.add(new String(EventCodec.encode(r.value()), StandardCharsets.UTF_8));
        }
        System.out.printf("gateway secrets scan: %d log lines and call events, %d tokens%n", lines.size(), TOKENS.size());
        Set<String> signatures = ConcurrentHashMap.newKeySet();
        TOKENS.forEach(t -> signatures.add(t.substring(t.lastIndexOf('.') + 1)));
        for (String line : lines) {
            // a raw JWT in a line would show its signature as one base64url run
            for (String run : line.split("[^A-Za-z0-9_-]+")) {
                assertThat(signatures).as("a raw token signature in: %s", abbreviate(line)).doesNotContain(run);
            }
        }
    }
}
