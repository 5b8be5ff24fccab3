package io.tollgate.tokenapi.fuzz;

import io.tollgate.testkit.hostile.Hostile;
import io.tollgate.testkit.hostile.Leaks;
import io.tollgate.testkit.hostile.RawHttp;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.tollgate.shared.crypto.PasswordHashes;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventCodec;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.topics.Topic;
import io.tollgate.shared.topics.Topics;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded hostile input against token-api's token (password and refresh), revocation, introspection and
 * operator endpoints: 10,000 raw-socket requests per target against a real broker, Redis and LDAP. Every
 * answer must be the protocol's own answer (RFC 6749 §5.2 JSON errors, RFC 7009/7662 200s, 204 for an
 * authenticated operator), never a 5xx, a stack trace, a reflected password, secret or token; afterwards the
 * service is healthy, and no log line or event holds a password, a client secret or a raw token.
 * Lockout is off so that every hostile username reaches the LDAP directory (lockout has its own ITs).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokenApiFuzzIT {
    static final String CLIENT = DemoRegistry.CLIENT_ID;
    static final String CONF_CLIENT = "fuzz-conf-client";
    static final String CONF_SECRET = "fuzz-conf-secret+/:x";
    /** Every wrong password the fuzzer sends carries this marker, so the logs can be searched for any of them. */
    static final String PW_MARK = "fzpw";
    static final List<String> DEMO_PASSWORDS = List.of("alice-secret", "bob-secret", "carol-secret", "dave-secret",
            "erin-secret", "ops-secret", "gateway-secret", CONF_SECRET, "admin-secret");
    static final List<String> USERS = List.of("alice", "bob", "carol", "dave", "erin");

    static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("fuzz")
            .registry(new ApplicationRecord("fuzz-conf-app", CONF_CLIENT, "Fuzz", ApplicationRecord.ClientType.CONFIDENTIAL,
                            PasswordHashes.hash(CONF_SECRET, 1_000), "fuzz@example.test", AT),
                    new SubscriptionRecord("sub-fuzz-conf", "fuzz-conf-app", CONF_CLIENT, "mobile", "premium",
                            SubscriptionRecord.Status.APPROVED, AT))
            .config(ConfigOverride.config("lockout.enabled", "false"))
            .captureLogs()
            .build();

    static final ObjectMapper JSON = new ObjectMapper();
    /** Every raw token token-api issued during the run. */
    static final Queue<String> ISSUED = new ConcurrentLinkedQueue<>();
    static final List<String> REFRESH_POOL = new CopyOnWriteArrayList<>();
    static final List<String> ACCESS_POOL = new CopyOnWriteArrayList<>();
    /** The tokens of the 20 set-up logins: generators draw only from these, so input i depends on the seed alone. */
    static List<String> refreshSeeds = List.of();
    static List<String> accessSeeds = List.of();
    static final Map<String, String> SUMMARY = new TreeMap<>();
    static long seed;

    @BeforeAll
    static void setUp() {
        seed = Hostile.seed();
        for (int i = 0; i < 20; i++) {
            String user = USERS.get(i % 2 == 0 ? 0 : 4);
            RawHttp.Answer a = post("/oauth2/token", "application/x-www-form-urlencoded",
                    form("grant_type", "password", "client_id", CLIENT, "username", user, "password", user + "-secret"),
                    List.of());
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            remember(a);
        }
        refreshSeeds = List.copyOf(REFRESH_POOL);
        accessSeeds = List.copyOf(ACCESS_POOL);
    }

    @AfterAll
    static void tearDown() {
        System.out.println("token-api fuzz summary (seed " + seed + "): " + SUMMARY);
    }

    /** One generated request: what was sent and the values that must never come back. */
    record Case(int id, String kind, byte[] raw, List<String> secrets, boolean mayPass) {
    }

    static void remember(RawHttp.Answer a) {
        if (a.status() != 200 || !a.body().startsWith("{")) {
            return;
        }
        try {
            JsonNode json = JSON.readTree(a.body());
            if (json.hasNonNull("access_token")) {
                ISSUED.add(json.get("access_token").asText());
                ACCESS_POOL.add(json.get("access_token").asText());
            }
            if (json.hasNonNull("refresh_token")) {
                ISSUED.add(json.get("refresh_token").asText());
                REFRESH_POOL.add(json.get("refresh_token").asText());
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("a 200 that is not JSON: " + a.body());
        }
    }

    // ---- request building ----

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static byte[] form(String... kv) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            b.append(i == 0 ? "" : "&").append(enc(kv[i])).append('=').append(enc(kv[i + 1]));
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] request(String method, String path, String contentType, byte[] body, List<String> headers) {
        return RawHttp.request(STACK.port(), method, path, contentType, body, headers);
    }

    static RawHttp.Answer post(String path, String contentType, byte[] body, List<String> headers) {
        return RawHttp.send(STACK.port(), request("POST", path, contentType, body, headers), 15_000);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 6749 §2.3.1 form-urlencoding as oauth4webapi applies it to Basic credentials: {@code -._~*} too. */
    static String formEncode(String s) {
        return enc(s).replace(".", "%2E").replace("-", "%2D").replace("_", "%5F").replace("*", "%2A")
                .replace("~", "%7E");
    }

    /** Well-formed form-urlencoded Basic credentials: whatever else is wrong with the request, never a 401. */
    static final String ENCODED_CLIENT = basic(formEncode(CONF_CLIENT), formEncode(CONF_SECRET));
    static final String ENCODED_GATEWAY = basic(formEncode("gateway"), formEncode("gateway-secret"));
    static final String ENCODED_OPS = basic(formEncode("ops"), formEncode("ops-secret"));

    /** {@code kind}, marked when the request carries {@code encoded} (judged by {@link #encodedIsNever401}). */
    static String kind(String kind, List<String> headers, String encoded) {
        return headers.contains(encoded) ? kind + "+encoded" : kind;
    }

    static String encodedIsNever401(Case c, RawHttp.Answer a) {
        return c.kind().endsWith("+encoded") && a.status() == 401
                ? "well-formed form-urlencoded Basic credentials refused" : null;
    }

    /** Form-urlencoded Basic with broken or hostile escapes in the id or the secret. */
    static String mangledEncodedBasic(Random r, String id, String secret) {
        String bad = Hostile.pick(r, List.of("%", "%z", "%zz", "%ff", "%c0%ae", "%00", "%0d%0a", "+", "%2", "%%"));
        return r.nextBoolean() ? basic(formEncode(id) + bad, formEncode(secret)) : basic(formEncode(id),
                formEncode(secret) + bad);
    }

    static String hostileUser(Random r) {
        return switch (r.nextInt(7)) {
            case 0 -> Hostile.pick(r, Hostile.LDAP_META);
            case 1 -> Hostile.pick(r, USERS) + Hostile.pick(r, Hostile.LDAP_META);
            case 2 -> Hostile.pick(r, Hostile.LDAP_META) + Hostile.pick(r, USERS);
            case 3 -> Hostile.pick(r, USERS) + Hostile.pick(r, List.of("\r\nevent=login.succeeded user=root", "\n",
                    "\u0000", " ", "\t", "\u2028"));
            case 4 -> Hostile.repeat('a', 200 + r.nextInt(20_000));
            case 5 -> Hostile.text(r, 40);
            default -> Hostile.pick(r, USERS).toUpperCase() + Hostile.pick(r, List.of("", "*", "\\2a", "\\"));
        };
    }

    static String hostilePassword(Random r, int id, String user) {
        // a real demo password with a wildcard user must still fail: the filter is escaped
        if (r.nextInt(4) == 0) {
            return Hostile.pick(r, DEMO_PASSWORDS);
        }
        return PW_MARK + id + "-" + Hostile.pick(r, List.of("", "*", ")(", "\\", "\u0000", "\r\n")) + Hostile.text(r, 30);
    }

    /** A form body mutated in one of many ways; {@code kv} is the well-formed intent. */
    static byte[] mutate(Random r, List<String> kv) {
        List<String> p = new ArrayList<>(kv);
        switch (r.nextInt(12)) {
            case 0 -> { // repeated parameter
                int i = r.nextInt(p.size() / 2) * 2;
                p.add(p.get(i));
                p.add(r.nextBoolean() ? p.get(i + 1) : Hostile.text(r, 10));
            }
            case 1 -> { // missing parameter
                int i = r.nextInt(p.size() / 2) * 2;
                p.remove(i);
                p.remove(i);
            }
            case 2 -> { // malformed escapes
                return (new String(form(p.toArray(String[]::new)), StandardCharsets.UTF_8)
                        + Hostile.pick(r, List.of("%", "%z", "%zz", "%%", "&=", "&&&", "=", "%0", "%E2%82")))
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> { // invalid UTF-8, raw
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(form(p.toArray(String[]::new)));
                out.writeBytes("&x=".getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(Hostile.invalidUtf8(r));
                return out.toByteArray();
            }
            case 4 -> { // invalid UTF-8, percent-encoded
                StringBuilder b = new StringBuilder(new String(form(p.toArray(String[]::new)), StandardCharsets.UTF_8));
                for (byte x : Hostile.invalidUtf8(r)) {
                    b.append(String.format("%%%02X", x & 0xff));
                }
                return b.toString().getBytes(StandardCharsets.US_ASCII);
            }
            case 5 -> { // huge value (over the 16 KiB limit or just under it)
                p.add("pad");
                p.add(Hostile.repeat('p', r.nextBoolean() ? 17_000 + r.nextInt(300_000) : 15_000));
            }
            case 6 -> { // random bytes
                return Hostile.bytes(r, 2000);
            }
            case 7 -> { // JSON instead of a form
                return ("{\"grant_type\":\"password\",\"username\":\"alice\",\"password\":\"" + PW_MARK + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 8 -> { // empty names and values, stray separators
                return ("&=&" + new String(form(p.toArray(String[]::new)), StandardCharsets.UTF_8) + "&&=x&y")
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 9 -> { // NUL and controls in values
                int i = r.nextInt(p.size() / 2) * 2 + 1;
                p.set(i, p.get(i) + Hostile.pick(r, List.of("\u0000", "\r\n", "\u001b[31m", "\u007f")));
            }
            case 10 -> { // empty body
                return new byte[0];
            }
            default -> { // as meant
            }
        }
        return form(p.toArray(String[]::new));
    }

    static String contentType(Random r) {
        return r.nextInt(5) == 0 ? (r.nextInt(6) == 0 ? null : Hostile.pick(r, Hostile.CONTENT_TYPES))
                : "application/x-www-form-urlencoded";
    }

    static List<String> clientAuth(Random r, List<String> secrets) {
        switch (r.nextInt(13)) {
            case 0:
                secrets.add(CONF_SECRET);
                return List.of("Authorization", basic(CONF_CLIENT, CONF_SECRET));
            case 1:
                secrets.add(PW_MARK + "-client");
                return List.of("Authorization", basic(CONF_CLIENT, PW_MARK + "-client"));
            case 2:
                return List.of("Authorization", Hostile.pick(r, List.of("Basic", "Basic ", "Basic !!!", "Bearer x",
                        "Basic " + Base64.getEncoder().encodeToString(":".getBytes(StandardCharsets.UTF_8)),
                        "Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8)),
                        "Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, ':', (byte) 0xc0}))));
            case 3:
                return List.of("Authorization", "Basic " + Hostile.text(r, 200));
            case 4:
                secrets.addAll(List.of(CONF_SECRET, formEncode(CONF_SECRET)));
                return List.of("Authorization", ENCODED_CLIENT);
            case 5:
                secrets.add(PW_MARK + "-enc");
                return List.of("Authorization", basic(formEncode(CONF_CLIENT), formEncode(PW_MARK + "-enc:/~")));
            case 6:
                secrets.addAll(List.of(CONF_SECRET, formEncode(CONF_SECRET)));
                return List.of("Authorization", mangledEncodedBasic(r, CONF_CLIENT, CONF_SECRET));
            default:
                return List.of();
        }
    }

    // ---- targets ----

    static Case passwordGrant(int id) {
        Random r = Hostile.random(seed, id);
        List<String> secrets = new ArrayList<>();
        String user = r.nextInt(3) == 0 ? Hostile.pick(r, USERS) : hostileUser(r);
        String password = hostilePassword(r, id, user);
        secrets.add(password);
        List<String> kv = new ArrayList<>(List.of("grant_type",
                r.nextInt(10) == 0 ? Hostile.pick(r, List.of("PASSWORD", "password ", "", "client_credentials",
                        "urn:ietf:params:oauth:grant-type:jwt-bearer", "authorization_code")) : "password",
                "client_id", r.nextInt(8) == 0 ? hostileUser(r) : r.nextInt(6) == 0 ? CONF_CLIENT : CLIENT,
                "username", user, "password", password));
        if (r.nextBoolean()) {
            kv.add("scope");
            kv.add(Hostile.pick(r, List.of("read", "read write", "admin", "", "  ", "read\u0000", Hostile.text(r, 50))));
        }
        addResources(r, kv);
        byte[] body = mutate(r, kv);
        List<String> headers = clientAuth(r, secrets);
        return new Case(id, kind("password", headers, ENCODED_CLIENT),
                request("POST", "/oauth2/token", contentType(r), body, headers), secrets, false);
    }

    static Case refreshGrant(int id) {
        Random r = Hostile.random(seed, id);
        List<String> secrets = new ArrayList<>();
        String token = switch (r.nextInt(5)) {
            case 0 -> Hostile.pick(r, refreshSeeds);
            case 1 -> Hostile.base64urlish(r, 43);
            case 2 -> Hostile.pick(r, accessSeeds);
            case 3 -> Hostile.repeat('r', 20_000 + r.nextInt(10_000));
            default -> Hostile.text(r, 80);
        };
        secrets.add(token);
        List<String> kv = new ArrayList<>(List.of("grant_type", "refresh_token",
                "client_id", r.nextInt(8) == 0 ? hostileUser(r) : CLIENT, "refresh_token", token));
        if (r.nextInt(4) == 0) {
            kv.add("scope");
            kv.add(Hostile.pick(r, List.of("read", "read write", "*", "")));
        }
        addResources(r, kv);
        byte[] body = mutate(r, kv);
        List<String> headers = clientAuth(r, secrets);
        return new Case(id, kind("refresh", headers, ENCODED_CLIENT), request("POST", "/oauth2/token", contentType(r),
                body, headers), secrets, true);
    }

    /** RFC 8707 resource indicators, repeatable: known, unknown, URI, empty and hostile API names. */
    private static void addResources(Random r, List<String> kv) {
        int n = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 0;
        for (int i = 0; i < n; i++) {
            kv.add("resource");
            kv.add(Hostile.pick(r, List.of("mobile", "orders", "MOBILE", "", " mobile", "https://api.example/mobile",
                    "mobile\u0000", Hostile.text(r, 40), Hostile.repeat('m', 300))));
        }
    }

    static Case revoke(int id) {
        Random r = Hostile.random(seed, id);
        List<String> secrets = new ArrayList<>();
        String token = switch (r.nextInt(4)) {
            case 0 -> Hostile.pick(r, refreshSeeds);
            case 1 -> Hostile.pick(r, accessSeeds);
            case 2 -> Hostile.base64urlish(r, 300);
            default -> Hostile.text(r, 100);
        };
        secrets.add(token);
        List<String> kv = new ArrayList<>(List.of("token", token, "client_id",
                r.nextInt(8) == 0 ? hostileUser(r) : CLIENT));
        if (r.nextBoolean()) {
            kv.add("token_type_hint");
            kv.add(Hostile.pick(r, List.of("refresh_token", "access_token", "id_token", "", "*", Hostile.text(r, 20))));
        }
        byte[] body = mutate(r, kv);
        List<String> headers = clientAuth(r, secrets);
        return new Case(id, kind("revoke", headers, ENCODED_CLIENT), request("POST", "/oauth2/revoke", contentType(r),
                body, headers), secrets, true);
    }

    static Case introspect(int id) {
        Random r = Hostile.random(seed, id);
        List<String> secrets = new ArrayList<>(List.of("gateway-secret"));
        String token = switch (r.nextInt(5)) {
            case 0 -> Hostile.pick(r, accessSeeds);
            case 1 -> Hostile.pick(r, refreshSeeds);
            case 2 -> "eyJhbGciOiJub25lIn0." + Hostile.base64urlish(r, 200) + "." + Hostile.base64urlish(r, 10);
            case 3 -> Hostile.repeat('t', 10_000 + r.nextInt(20_000));
            default -> Hostile.text(r, 100);
        };
        secrets.add(token);
        List<String> auth = switch (r.nextInt(20)) {
            case 0 -> List.of("Authorization", Hostile.pick(r, List.of("Basic", "Basic ???", "Bearer " + token,
                    "Basic " + Base64.getEncoder().encodeToString("gateway".getBytes(StandardCharsets.UTF_8)))));
            case 1 -> List.of();
            case 2 -> r.nextInt(10) == 0 ? List.of("Authorization", basic("gateway", PW_MARK + id))
                    : List.of("Authorization", "Basic " + Hostile.text(r, 50));
            // a wrong account password costs a real PBKDF2 (lockout is off here): rare, as above
            case 3, 4 -> List.of("Authorization", r.nextInt(10) > 0 ? ENCODED_GATEWAY : r.nextBoolean()
                    ? mangledEncodedBasic(r, "gateway", "gateway-secret")
                    : basic(formEncode("gateway"), formEncode(PW_MARK + id + "-~.")));
            default -> List.of("Authorization", basic("gateway", "gateway-secret"));
        };
        List<String> kv = new ArrayList<>(List.of("token", token));
        if (r.nextBoolean()) {
            kv.add("token_type_hint");
            kv.add(Hostile.pick(r, List.of("refresh_token", "access_token", "", Hostile.text(r, 20))));
        }
        byte[] body = mutate(r, kv);
        return new Case(id, kind("introspect", auth, ENCODED_GATEWAY), request("POST", "/oauth2/introspect",
                contentType(r), body, auth), secrets, true);
    }

    static Case admin(int id) {
        Random r = Hostile.random(seed, id);
        List<String> secrets = new ArrayList<>(List.of("ops-secret"));
        String subject = switch (r.nextInt(6)) {
            case 0 -> enc(hostileUser(r)).replace("+", "%20");
            case 1 -> Hostile.pick(r, Hostile.TRAVERSALS) + Hostile.pick(r, List.of("/", "%2f", "%5c", "\\"))
                    + Hostile.pick(r, List.of("clients", "..", "x"));
            case 2 -> Hostile.pick(r, List.of("%00", "%0d%0aX-Injected:%201", "%2a", "%28uid%3d%2a%29", "a%5cb", "",
                    "%ff%fe", "%c0%ae"));
            case 3 -> Hostile.repeat('u', 100 + r.nextInt(9000));
            default -> "fz-" + id;
        };
        String path = (r.nextBoolean() ? "/admin/users/" : "/admin/clients/") + subject + "/revoke"
                + (r.nextInt(15) == 0 ? "?access_token=" + Hostile.base64urlish(r, 40) : "");
        String method = r.nextInt(15) == 0 ? Hostile.pick(r, List.of("GET", "PUT", "DELETE", "PATCH", "OPTIONS")) : "POST";
        List<String> auth = switch (r.nextInt(20)) {
            case 0 -> List.of("Authorization", Hostile.pick(r, List.of("Basic", "Basic !!", "Bearer ops-secret",
                    "basic " + Base64.getEncoder().encodeToString("ops:".getBytes(StandardCharsets.UTF_8)))));
            case 1 -> List.of();
            case 2 -> r.nextInt(10) == 0 ? List.of("Authorization", basic("ops", PW_MARK + id))
                    : List.of("Authorization", basic(Hostile.text(r, 20).replace(":", ""), ""));
            case 3, 4 -> List.of("Authorization", r.nextInt(10) > 0 ? ENCODED_OPS : r.nextBoolean()
                    ? basic(formEncode("ops"), formEncode(PW_MARK + id + "-~."))
                    : mangledEncodedBasic(r, "ops", "ops-secret"));
            default -> List.of("Authorization", basic("ops", "ops-secret"));
        };
        byte[] body = switch (r.nextInt(9)) {
            case 0 -> new byte[0];
            case 1 -> "{\"reason\":\"fuzz\",\"client_id\":\"demo-mobile\"}".getBytes(StandardCharsets.UTF_8);
            case 2 -> ("{\"reason\":" + Hostile.pick(r, List.of("1", "[]", "{}", "null", "\"" + Hostile.repeat('x', 600)
                    + "\"")) + "}").getBytes(StandardCharsets.UTF_8);
            case 3 -> Hostile.pick(r, List.of("[]", "\"x\"", "nul", "{", "{\"a\":", "{\"reason\":\"\\ud800\"}", "123"))
                    .getBytes(StandardCharsets.UTF_8);
            case 4 -> Hostile.bytes(r, 500);
            case 5 -> Hostile.invalidUtf8(r);
            case 6 -> ("{\"reason\":\"" + Hostile.repeat('y', 9000 + r.nextInt(100_000)) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            case 7 -> ("{\"client_id\":\"" + Hostile.pick(r, List.of("\\u0000", "\\r\\n", "*", "")) + "\","
                    + "\"client_id\":\"x\"}").getBytes(StandardCharsets.UTF_8);
            default -> "{\"reason\":\"fuzz\"}".getBytes(StandardCharsets.UTF_8);
        };
        String contentType = r.nextInt(4) == 0 ? Hostile.pick(r, Hostile.CONTENT_TYPES) : "application/json";
        return new Case(id, method.equals("OPTIONS") ? "admin-options" : contentType != null
                && contentType.startsWith("application/json") ? kind("admin", auth, ENCODED_OPS) : "admin-not-json",
                request(method, path, contentType, body, auth), secrets, true);
    }

    // ---- running and judging ----

    static Map<Integer, Integer> run(String target, IntFunction<Case> generator, Set<Integer> allowed,
                                     java.util.function.BiFunction<Case, RawHttp.Answer, String> extra) throws Exception {
        int inputs = Hostile.inputs();
        Map<Integer, Integer> statuses = new TreeMap<>();
        long started = System.nanoTime();
        Queue<String> failures = ParallelInputs.run(inputs, id -> {
            Case c = generator.apply(id);
            RawHttp.Answer a = RawHttp.send(STACK.port(), c.raw(), 15_000);
            synchronized (statuses) {
                statuses.merge(a.status(), 1, Integer::sum);
            }
            remember(a);
            String problem = judge(c, a, allowed);
            if (problem == null && extra != null) {
                problem = extra.apply(c, a);
            }
            return ParallelInputs.describe(c.id(), c.kind(), problem, firstLine(c.raw()));
        });
        long millis = (System.nanoTime() - started) / 1_000_000;
        String line = String.format("inputs=%d time=%dms statuses=%s", inputs, millis, statuses);
        System.out.printf("token-api fuzz %s: seed=%d %s%n", target, seed, line);
        SUMMARY.put(target, line);
        assertThat(failures).as("seed %d", seed).isEmpty();
        return statuses;
    }

    static String judge(Case c, RawHttp.Answer a, Set<Integer> allowed) {
        if (a.timedOut() || !a.answered()) {
            return "no HTTP answer: " + abbreviate(a.body());
        }
        int s = a.status();
        if (!allowed.contains(s)) {
            return "status " + s + ": " + abbreviate(a.body());
        }
        String body = a.body();
        String leak = Leaks.stackTrace(body);
        if (leak == null) {
            leak = Leaks.reflected(a.headers() + body, c.secrets(), 6, PW_MARK);
        }
        if (leak != null) {
            return leak;
        }
        if (s >= 400) {
            if (!body.startsWith("{")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("MESSAGE:</th><td>([^<]*)").matcher(body);
                return "non-JSON error " + s + ": " + (m.find() ? m.group(1) : abbreviate(body));
            }
            try {
                JsonNode json = JSON.readTree(body);
                if (!json.hasNonNull("error")) {
                    return "error without an error code: " + abbreviate(body);
                }
            } catch (java.io.IOException e) {
                return "invalid JSON: " + abbreviate(body);
            }
        }
        return null;
    }

    static String firstLine(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n");
        int bodyAt = text.indexOf("\r\n\r\n");
        String body = bodyAt < 0 ? "" : text.substring(bodyAt + 4);
        java.util.regex.Matcher type = java.util.regex.Pattern.compile("Content-Type: ([^\r]*)").matcher(text);
        return abbreviate((end < 0 ? text : text.substring(0, end)) + (type.find() ? " type=" + type.group(1) : "")
                + " body=" + abbreviate(body));
    }

    static String abbreviate(String s) {
        return Leaks.abbreviate(s);
    }

    static final Set<String> TOKEN_ERRORS = Set.of("invalid_request", "invalid_client", "invalid_grant",
            "unauthorized_client", "unsupported_grant_type", "invalid_scope", "invalid_target");

    static String tokenEndpointRules(Case c, RawHttp.Answer a) {
        if (encodedIsNever401(c, a) != null) {
            return encodedIsNever401(c, a);
        }
        if (!"no-store".equals(a.header("cache-control")) && a.status() != 431) {
            return "no Cache-Control: no-store";
        }
        if (a.status() >= 400 && a.status() != 431) {
            try {
                String error = JSON.readTree(a.body()).path("error").asText();
                if (!TOKEN_ERRORS.contains(error)) {
                    return "error " + error + " is not an RFC 6749 §5.2 code";
                }
                if (a.status() == 401 && !error.equals("invalid_client")) {
                    return "401 with " + error;
                }
            } catch (java.io.IOException e) {
                return "invalid JSON";
            }
        }
        return null;
    }

    @Test
    @Order(1)
    void passwordGrant() throws Exception {
        Map<Integer, Integer> statuses = run("password", TokenApiFuzzIT::passwordGrant, Set.of(200, 400, 401, 431),
                TokenApiFuzzIT::tokenEndpointRules);
        assertThat(statuses.getOrDefault(400, 0)).isGreaterThan(Hostile.inputs() / 2);
    }

    @Test
    @Order(2)
    void refreshGrant() throws Exception {
        run("refresh", TokenApiFuzzIT::refreshGrant, Set.of(200, 400, 401, 431), TokenApiFuzzIT::tokenEndpointRules);
    }

    @Test
    @Order(3)
    void revocation() throws Exception {
        run("revoke", TokenApiFuzzIT::revoke, Set.of(200, 400, 401, 431), (c, a) ->
                a.status() == 200 && !a.body().isEmpty() && !a.body().equals("{}") ? "RFC 7009 200 with a body"
                : encodedIsNever401(c, a));
    }

    @Test
    @Order(4)
    void introspection() throws Exception {
        run("introspect", TokenApiFuzzIT::introspect, Set.of(200, 400, 401, 431), (c, a) -> {
            if (a.status() != 200) {
                return encodedIsNever401(c, a);
            }
            try {
                JsonNode json = JSON.readTree(a.body());
                boolean active = json.path("active").asBoolean(false);
                String token = c.secrets().get(1);
                if (active && !ACCESS_POOL.contains(token) && !REFRESH_POOL.contains(token)) {
                    return "a token that token-api never issued is active";
                }
                return json.has("active") ? null : "no active member";
            } catch (java.io.IOException e) {
                return "invalid JSON";
            }
        });
    }

    @Test
    @Order(5)
    void operatorApi() throws Exception {
        // 200 only to OPTIONS (Jersey's Allow answer), checked below
        // 204 only with Content-Type: application/json (a cross-site form cannot send it); 415 otherwise
        run("admin", TokenApiFuzzIT::admin, Set.of(200, 204, 400, 401, 404, 405, 414, 415, 431), (c, a) ->
                a.status() == 200 && !c.kind().equals("admin-options") ? "200 to a non-OPTIONS request"
                : a.status() == 204 && c.kind().equals("admin-not-json") ? "a state change without JSON"
                : a.status() == 401 && (a.header("www-authenticate") == null
                        || !a.header("www-authenticate").startsWith("Basic")) ? "401 without a Basic challenge"
                : encodedIsNever401(c, a));
    }

    /** Jetty's and Jersey's own refusals are OAuth JSON too, never HTML pages or empty bodies. */
    @Test
    @Order(0)
    void refusalsRaisedByJettyItselfAreOAuthJson() {
        byte[] form = form("grant_type", "password", "client_id", CLIENT, "username", "alice", "password", PW_MARK);
        List<byte[]> requests = List.of(
                request("POST", "/oauth2/token", "", form, List.of()),
                request("POST", "/oauth2/token", "application/x-www-form-urlencoded; charset=\"", form, List.of()),
                request("POST", "/oauth2/token", "\u00ff\u00fe", form, List.of()),
                request("PUT", "/admin/users/a%5cb/revoke", "application/json", new byte[0], List.of()),
                request("DELETE", "/admin/users/%c0%ae/revoke", "application/json", new byte[0], List.of()),
                request("POST", "/admin/users/" + "u".repeat(20_000) + "/revoke", "application/json", new byte[0],
                        List.of()),
                request("POST", "/oauth2/introspect", "application/x-www-form-urlencoded", form,
                        List.of("X-Big", "b".repeat(40_000))));
        for (byte[] raw : requests) {
            RawHttp.Answer a = RawHttp.send(STACK.port(), raw, 15_000);
            assertThat(a.status()).as(firstLine(raw)).isBetween(400, 499);
            assertThat(a.header("content-type")).as(firstLine(raw)).startsWith("application/json");
            assertThat(a.header("cache-control")).as(firstLine(raw)).isEqualTo("no-store");
            assertThat(a.body()).as(firstLine(raw)).startsWith("{\"error\":\"").doesNotContain(PW_MARK);
        }
    }

    @Test
    @Order(6)
    void theServiceIsHealthyAndStillIssuesTokens() throws Exception {
        var health = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + STACK.app().getAdminPort() + "/healthcheck")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        RawHttp.Answer a = post("/oauth2/token", "application/x-www-form-urlencoded",
                form("grant_type", "password", "client_id", CLIENT, "username", "bob", "password", "bob-secret"),
                List.of());
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        remember(a);
    }

    @Test
    @Order(7)
    void noLogLineOrEventHoldsAPasswordASecretOrARawToken() {
        List<String> lines = new ArrayList<>();
        int logLines = 0;
        for (ILoggingEvent event : List.copyOf(STACK.logs())) {
            String message = event.getFormattedMessage();
            lines.add(message);
            logLines++;
            assertThat(message).as("one event per line (log forging)").doesNotContain("\n").doesNotContain("\r");
            if (event.getThrowableProxy() != null) {
                lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }
        int events = 0;
        for (Topic<String, Event<?>> topic : List.of(Topics.AUTH_EVENTS, Topics.REVOCATIONS)) {
            for (ConsumerRecord<String, Event<?>> r : STACK.kafka().readAll(topic, Duration.ofSeconds(2))) {
                lines.add(new String(EventCodec.encode(r.value()), StandardCharsets.UTF_8));
                events++;
            }
        }
        System.out.printf("token-api secrets scan: %d log lines, %d events, %d issued tokens%n", logLines, events,
                ISSUED.size());
        assertThat(lines).anyMatch(l -> l.contains("event=login.failed"));
        assertThat(lines).anyMatch(l -> l.contains("tollgate.login.succeeded"));
        assertThat(ISSUED).hasSizeGreaterThan(40);
        Set<String> tokenParts = ConcurrentHashMap.newKeySet();
        for (String token : ISSUED) {
            tokenParts.add(token.substring(token.lastIndexOf('.') + 1)); // a refresh token, or a JWT's signature
        }
        for (String line : lines) {
            for (String secret : DEMO_PASSWORDS) {
                assertThat(line).doesNotContain(secret);
            }
            assertThat(line).doesNotContain(PW_MARK);
            for (String run : line.split("[^A-Za-z0-9_-]+")) {
                assertThat(tokenParts).as("a raw token in: %s", abbreviate(line)).doesNotContain(run);
            }
        }
    }
}
