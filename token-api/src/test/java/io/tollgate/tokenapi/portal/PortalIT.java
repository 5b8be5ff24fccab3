package io.tollgate.tokenapi.portal;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.shared.crypto.PasswordHashes;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.DeveloperRecord;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.OperatorAction;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.topics.Topics;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The developer portal against a real Kafka broker, Redis and LDAP directory (one app for the class, ordered). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalIT {
    static final String DEV = "Dana.Dev@Example.test";
    static final String DEV_PASSWORD = "dana-portal-pass";
    static final PlanRecord GOLD = new PlanRecord("gold", "mobile", "Gold", Set.of("read", "write"), 1_000, 20_000, 0, 5,
            true, DemoRegistry.GRANT_TYPES);

    static final PlanRecord PLATINUM = new PlanRecord("platinum", "mobile", "Platinum", Set.of("read", "write"), 10_000,
            0, 0, 50, true, DemoRegistry.GRANT_TYPES, 30, 86_400, 40_000, 5_000_000, null);

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("portal-it").registry(GOLD, PLATINUM).captureLogs()
            .build();
    static final String BASE = STACK.baseUrl();

    /** Every secret the tests saw: passwords, client secrets, session ids, CSRF tokens. */
    static final List<String> SECRETS = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(DEV_PASSWORD,
            "olga-portal-pass", "ops-secret"));

    static final PortalClient DANA = new PortalClient(BASE);
    static final PortalClient OTHER = new PortalClient(BASE);
    static final PortalClient OPS = new PortalClient(BASE);
    static String danaId;
    static String publicClient;
    static String confidentialClient;
    static String confidentialSecret;

    static PortalClient.Answer passwordGrant(String clientId, String... extra) {
        return passwordGrantAt(BASE, clientId, extra);
    }

    static PortalClient.Answer passwordGrantAt(String base, String clientId, String... extra) {
        Map<String, String> p = new LinkedHashMap<>(Map.of("grant_type", "password", "client_id", clientId,
                "username", "alice", "password", "alice-secret"));
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        String form = p.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            return new PortalClient.Answer("POST", "/oauth2/token", r.statusCode(), r, PortalClient.JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static List<ConsumerRecord<String, Event<?>>> registryUntil(String key, java.util.function.Predicate<Event<?>> match) {
        return STACK.kafka().readUntil(Topics.REGISTRY, rs -> rs.stream().anyMatch(r -> key.equals(r.key()) && match.test(r.value())),
                Duration.ofSeconds(20));
    }

    @Test
    @Order(1)
    void signUpMailsALinkAndOnlyTheVerifiedAccountIsStoredHashedWithAHardenedSessionCookie() throws IOException {
        PortalClient.Answer a = DANA.enter("signup", DEV, DEV_PASSWORD);
        String newAddressBody = a.response().body();
        assertThat(a.status()).isEqualTo(202);
        assertThat(a.json()).isEqualTo(PortalClient.JSON.readTree("{\"status\":\"verification_sent\"}"));
        assertThat(a.header("Set-Cookie")).as("no session before the address is verified").isNull();
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.keys("tg:portal:session:*")).isEmpty();
        }
        String token = STACK.outbox().awaitToken("dana.dev@example.test");
        assertThat(STACK.outbox().to("dana.dev@example.test").get(0)).contains("Subject: " + SignupMails.SUBJECT)
                .contains(BASE + "/portal/#verify/" + token);
        SECRETS.add(token);

        a = DANA.verify(token, DEV_PASSWORD);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.text("email")).isEqualTo("dana.dev@example.test");
        assertThat(a.text("csrfToken")).hasSize(43);
        String cookie = a.header("Set-Cookie");
        assertThat(cookie).startsWith("tg_portal=").contains("; HttpOnly").contains("; SameSite=Strict")
                .contains("; Path=/portal").doesNotContain("Secure");
        String sessionId = cookie.substring("tg_portal=".length(), cookie.indexOf(';'));
        var records = registryUntil("dev:dana.dev@example.test", v -> v != null);
        DeveloperRecord dev = (DeveloperRecord) records.stream().filter(r -> "dev:dana.dev@example.test".equals(r.key()))
                .findFirst().orElseThrow().value().data();
        danaId = dev.developerId();
        assertThat(dev.verified()).isTrue();
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.hget(PortalSessions.key(sessionId), "email")).isEqualTo("dana.dev@example.test");
            assertThat(jedis.hget(PortalSessions.key(sessionId), "developer")).isEqualTo(danaId);
            assertThat(jedis.ttl(PortalSessions.key(sessionId))).isBetween(1L, 8 * 3600L);
        }
        assertThat(PasswordHashes.verify(DEV_PASSWORD, dev.passwordHash())).isTrue();
        assertThat(dev.toString()).doesNotContain(dev.passwordHash());
        assertThat(new String(io.tollgate.shared.events.EventCodec.encode(records.get(records.size() - 1).value()),
                StandardCharsets.UTF_8)).doesNotContain(DEV_PASSWORD);
        assertThat(new PortalClient(BASE).verify(token, DEV_PASSWORD).status()).as("a link works once").isEqualTo(400);

        // The address is taken now: the same answer as for a new one, and a mail without a link.
        PortalClient.Answer again = new PortalClient(BASE).enter("signup", DEV.toLowerCase(), "another-password");
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.response().body()).isEqualTo(newAddressBody);
        assertThat(again.header("Set-Cookie")).isNull();
        List<String> mails = STACK.outbox().to("dana.dev@example.test");
        assertThat(mails).hasSize(2);
        assertThat(io.tollgate.tokenapi.Outbox.tokenIn(mails.get(1))).isEmpty();
        assertThat(mails.get(1)).contains("already has an account");
        assertThat(new PortalClient(BASE).enter("login", DEV, "another-password").status()).isEqualTo(401);

        assertThat(new PortalClient(BASE).enter("signup", "not-an-email", "long-enough-pass").status()).isEqualTo(400);
        assertThat(new PortalClient(BASE).enter("signup", "x@example.test", "short").status()).isEqualTo(400);
        assertThat(new PortalClient(BASE).post("/portal/api/signup", "{\"email\":").status()).isEqualTo(400);
        assertThat(new PortalClient(BASE).verify("x".repeat(43), "long-enough-pass").text("error"))
                .isEqualTo("invalid_token");
        // Re-enter with the original session for the rest of the class.
        assertThat(DANA.get("/portal/api/session").status()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void loginWorksAndRepeatedFailuresAreThrottled() {
        assertThat(OTHER.signUpVerified("olga@example.test", "olga-portal-pass", STACK.outbox()).status())
                .isEqualTo(200);
        PortalClient fresh = new PortalClient(BASE);
        PortalClient.Answer ok = fresh.enter("login", "OLGA@example.test", "olga-portal-pass");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(fresh.get("/portal/api/session").text("email")).isEqualTo("olga@example.test");

        PortalClient attacker = new PortalClient(BASE);
        for (int i = 0; i < 5; i++) {
            PortalClient.Answer bad = attacker.enter("login", "olga@example.test", "wrong-" + i);
            assertThat(bad.status()).isEqualTo(401);
            assertThat(bad.text("error")).isEqualTo("invalid_credentials");
        }
        PortalClient.Answer locked = attacker.enter("login", "olga@example.test", "olga-portal-pass");
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.text("error")).isEqualTo("too_many_attempts");
        assertThat(attacker.enter("login", "nobody@example.test", "whatever-pass").status()).isEqualTo(401);
        try (Jedis jedis = STACK.redis().jedis()) {
            jedis.del(LoginThrottle.emailKey("olga@example.test"), LoginThrottle.ipKey("127.0.0.1"));
        }
    }

    @Test
    @Order(3)
    void stateChangesWithoutTheCsrfTokenAre403AndWithoutASession401() {
        PortalClient.Answer none = DANA.post("/portal/api/apps", Map.of("name", "x", "type", "public"));
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.text("error")).isEqualTo("csrf_token_invalid");
        PortalClient.Answer wrong = DANA.post("/portal/api/apps", Map.of("name", "x", "type", "public"),
                "X-CSRF-Token", OTHER.csrf);
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(DANA.post("/portal/api/logout", null).status()).isEqualTo(403);
        assertThat(new PortalClient(BASE).get("/portal/api/apps").status()).isEqualTo(401);
        assertThat(DANA.get("/portal/api/apps").json().get("apps")).isEmpty();
    }

    @Test
    @Order(4)
    void aPublicAppSubscribedToMobileBasicGetsTokensAtOnce() {
        PortalClient.Answer app = DANA.postCsrf("/portal/api/apps", Map.of("name", "Weather Now!", "type", "public"));
        assertThat(app.status()).isEqualTo(201);
        publicClient = app.text("clientId");
        assertThat(publicClient).matches("weather-now-[a-z0-9]{6}");
        assertThat(app.json().has("clientSecret")).isFalse();
        assertThat(passwordGrant(publicClient).status()).isEqualTo(400);   // no subscription yet: unauthorized_client

        PortalClient.Answer sub = DANA.postCsrf("/portal/api/apps/" + publicClient + "/subscriptions",
                Map.of("api", "mobile", "planId", "basic"));
        assertThat(sub.status()).isEqualTo(201);
        assertThat(sub.text("status")).isEqualTo("APPROVED");

        // a new app has the browser grants only; the password grant is the developer's choice (and the plan's)
        assertThat(app.json().get("grantTypes").toString()).isEqualTo("[\"authorization_code\",\"refresh_token\"]");
        assertThat(passwordGrant(publicClient).text("error")).isEqualTo("unauthorized_client");
        PortalClient.Answer noSecret = DANA.send("PUT", "/portal/api/apps/" + publicClient + "/grants",
                Map.of("grantTypes", List.of("client_credentials", "refresh_token")), "X-CSRF-Token", DANA.csrf);
        assertThat(noSecret.status()).isEqualTo(400);
        assertThat(noSecret.text("error")).isEqualTo("invalid_request");
        assertThat(DANA.postCsrf("/portal/api/apps", Map.of("name", "Sneaky", "type", "public", "grantTypes",
                List.of("client_credentials"))).status()).isEqualTo(400);
        assertThat(DANA.send("PUT", "/portal/api/apps/" + publicClient + "/grants",
                Map.of("grantTypes", List.of("implicit")), "X-CSRF-Token", DANA.csrf).status()).isEqualTo(400);
        assertThat(DANA.send("PUT", "/portal/api/apps/" + publicClient + "/grants",
                Map.of("grantTypes", List.of("password")), "X-CSRF-Token", "wrong").status()).isEqualTo(403);
        PortalClient.Answer changed = DANA.send("PUT", "/portal/api/apps/" + publicClient + "/grants",
                Map.of("grantTypes", List.of("password", "refresh_token", "authorization_code")), "X-CSRF-Token",
                DANA.csrf);
        assertThat(changed.status()).as(changed.response().body()).isEqualTo(200);
        assertThat(changed.json().get("subscriptions").get(0).get("usableGrantTypes").toString())
                .isEqualTo("[\"authorization_code\",\"password\",\"refresh_token\"]");

        PortalClient.Answer grant = passwordGrant(publicClient);
        assertThat(grant.status()).isEqualTo(200);
        assertThat(grant.text("scope")).isEqualTo("read");
        assertThat(DANA.get("/portal/api/apps").json().get("apps").get(0).get("clientId").asText())
                .isEqualTo(publicClient);
        assertThat(DANA.postCsrf("/portal/api/apps/" + publicClient + "/subscriptions",
                Map.of("api", "mobile", "planId", "nope")).status()).isEqualTo(400);
        assertThat(DANA.postCsrf("/portal/api/apps/" + publicClient + "/secret", null).status()).isEqualTo(409);
    }

    @Test
    @Order(5)
    void aConfidentialSecretIsShownOnceStoredHashedAndRotates() {
        PortalClient.Answer app = DANA.postCsrf("/portal/api/apps", Map.of("name", "Back office", "type", "confidential",
                "grantTypes", List.of("password", "client_credentials")));
        assertThat(app.status()).isEqualTo(201);
        assertThat(app.header("Cache-Control")).isEqualTo("no-store");
        confidentialClient = app.text("clientId");
        confidentialSecret = app.text("clientSecret");
        assertThat(confidentialSecret).hasSize(43);
        assertThat(DANA.get("/portal/api/apps/" + confidentialClient).response().body()).doesNotContain(confidentialSecret)
                .doesNotContain("clientSecret");
        assertThat(DANA.get("/portal/api/apps").response().body()).doesNotContain("clientSecret");
        var records = registryUntil(ApplicationRecord.key(confidentialClient), v -> v != null);
        ApplicationRecord stored = (ApplicationRecord) records.stream()
                .filter(r -> ApplicationRecord.key(confidentialClient).equals(r.key())).findFirst().orElseThrow().value().data();
        assertThat(stored.ownerId()).isEqualTo(danaId);
        assertThat(stored.owner()).isEqualTo("dana.dev@example.test");
        assertThat(PasswordHashes.verify(confidentialSecret, stored.secretHash())).isTrue();

        assertThat(DANA.postCsrf("/portal/api/apps/" + confidentialClient + "/subscriptions",
                Map.of("api", "mobile", "planId", "premium")).status()).isEqualTo(201);
        assertThat(passwordGrant(confidentialClient, "client_secret", confidentialSecret).status()).isEqualTo(200);

        PortalClient.Answer rotated = DANA.postCsrf("/portal/api/apps/" + confidentialClient + "/secret", null);
        assertThat(rotated.status()).isEqualTo(200);
        String newSecret = rotated.text("clientSecret");
        assertThat(newSecret).hasSize(43).isNotEqualTo(confidentialSecret);
        assertThat(passwordGrant(confidentialClient, "client_secret", confidentialSecret).status()).isEqualTo(401);
        assertThat(passwordGrant(confidentialClient, "client_secret", newSecret).status()).isEqualTo(200);
        // the rotation kept the app's grants: the client credentials grant works with the new secret
        assertThat(passwordGrant(confidentialClient, "grant_type", "client_credentials", "client_secret", newSecret)
                .status()).isEqualTo(200);
        confidentialSecret = newSecret;
    }

    @Test
    @Order(6)
    void redirectUrisAreRegisteredPerAppByTheRulesAndKeptAcrossASecretRotation() {
        String path = "/portal/api/apps/" + confidentialClient + "/redirect-uris";
        List<String> uris = List.of("https://back.example.test/oauth2/cb", "com.example.backoffice:/oauth2redirect",
                "http://127.0.0.1/callback", "http://[::1]/callback");
        PortalClient.Answer set = DANA.send("PUT", path, Map.of("redirectUris", uris), "X-CSRF-Token", DANA.csrf);
        assertThat(set.status()).as(set.response().body()).isEqualTo(200);
        assertThat(set.json().get("redirectUris").toString()).isEqualTo(
                "[\"https://back.example.test/oauth2/cb\",\"com.example.backoffice:/oauth2redirect\","
                        + "\"http://127.0.0.1/callback\",\"http://[::1]/callback\"]");
        assertThat(DANA.get("/portal/api/apps/" + confidentialClient).json().get("redirectUris")).hasSize(4);
        var records = registryUntil(ApplicationRecord.key(confidentialClient),
                v -> v != null && ((ApplicationRecord) v.data()).redirectUris().equals(uris));
        assertThat(records).isNotEmpty();

        for (Object bad : List.<Object>of(List.of("http://back.example.test/cb"), List.of("https://back.example.test/cb#x"),
                List.of("https://*.example.test/cb"), List.of("http://localhost/cb"), List.of("myapp:/cb"),
                List.of("/relative"), List.of(""), List.of(42), "https://back.example.test/cb",
                java.util.Collections.nCopies(11, "https://back.example.test/cb"))) {
            PortalClient.Answer refused = DANA.send("PUT", path, Map.of("redirectUris", bad), "X-CSRF-Token", DANA.csrf);
            assertThat(refused.status()).as(String.valueOf(bad)).isEqualTo(400);
            assertThat(refused.text("error_description")).isNotBlank();
        }
        assertThat(DANA.send("PUT", path, Map.of("redirectUris", uris)).status()).isEqualTo(403);
        assertThat(OTHER.send("PUT", path, Map.of("redirectUris", uris), "X-CSRF-Token", OTHER.csrf).status())
                .isEqualTo(404);
        // nothing refused was written
        assertThat(DANA.get("/portal/api/apps/" + confidentialClient).json().get("redirectUris")).hasSize(4);

        // a secret rotation rewrites the record and keeps its redirect URIs
        PortalClient.Answer rotated = DANA.postCsrf("/portal/api/apps/" + confidentialClient + "/secret", null);
        assertThat(rotated.status()).isEqualTo(200);
        confidentialSecret = rotated.text("clientSecret");
        assertThat(DANA.get("/portal/api/apps/" + confidentialClient).json().get("redirectUris")).hasSize(4);

        PortalClient.Answer cleared = DANA.send("PUT", path, Map.of("redirectUris", List.of()), "X-CSRF-Token", DANA.csrf);
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().get("redirectUris")).isEmpty();
    }

    @Test
    @Order(6)
    void anotherDevelopersAppIs404() {
        for (PortalClient.Answer a : List.of(OTHER.get("/portal/api/apps/" + publicClient),
                OTHER.get("/portal/api/apps/" + publicClient + "/usage"),
                OTHER.send("DELETE", "/portal/api/apps/" + publicClient, null, "X-CSRF-Token", OTHER.csrf),
                OTHER.postCsrf("/portal/api/apps/" + confidentialClient + "/secret", null),
                OTHER.postCsrf("/portal/api/apps/" + publicClient + "/subscriptions", Map.of("api", "mobile", "planId", "basic")),
                OTHER.get("/portal/api/apps/" + DemoRegistry.CLIENT_ID))) {
            assertThat(a.status()).as(a.method() + " " + a.path()).isEqualTo(404);
            assertThat(a.text("error")).isEqualTo("not_found");
        }
        assertThat(OTHER.get("/portal/api/apps").json().get("apps")).isEmpty();
        assertThat(passwordGrant(publicClient).status()).isEqualTo(200);   // untouched
    }

    @Test
    @Order(7)
    void aPlanNeedingApprovalIsPendingUntilAnOperatorApproves() {
        PortalClient.Answer plans = DANA.get("/portal/api/plans");
        assertThat(plans.json().get("plans").findValuesAsText("planId")).contains("basic", "premium", "gold");
        // the refresh reuse interval and session lifetime are shown (read-only); 0 = off
        List<String> known = List.of("basic", "premium", "gold", "platinum");
        for (com.fasterxml.jackson.databind.JsonNode plan : plans.json().get("plans")) {
            if (!known.contains(plan.get("planId").asText())) {
                continue; // other ITs on the shared broker publish plans of their own
            }
            boolean platinum = plan.get("planId").asText().equals("platinum");
            assertThat(plan.get("refreshReuseSeconds").asLong()).as(plan.toString()).isEqualTo(platinum ? 30 : 0);
            assertThat(plan.get("sessionLifetimeSeconds").asLong()).as(plan.toString()).isEqualTo(platinum ? 86_400 : 0);
            // the whole app's limits (all its users together); 0 = none
            assertThat(plan.get("appCallsPerMinute").asLong()).as(plan.toString()).isEqualTo(platinum ? 40_000 : 0);
            assertThat(plan.get("monthlyQuota").asLong()).as(plan.toString()).isEqualTo(platinum ? 5_000_000 : 0);
        }
        PortalClient.Answer app = DANA.postCsrf("/portal/api/apps", Map.of("name", "Gold rush", "type", "public",
                "grantTypes", List.of("password")));
        String client = app.text("clientId");
        PortalClient.Answer sub = DANA.postCsrf("/portal/api/apps/" + client + "/subscriptions",
                Map.of("api", "mobile", "planId", "gold"));
        assertThat(sub.text("status")).isEqualTo("PENDING");
        String subscriptionId = sub.text("subscriptionId");
        assertThat(passwordGrant(client).text("error")).isEqualTo("unauthorized_client");

        // A developer is no admin; Basic with a wrong password is 401.
        assertThat(DANA.get("/portal/api/admin/subscriptions").status()).isEqualTo(403);
        assertThat(sub.json().get("version").asLong()).isEqualTo(1);
        Map<String, Object> reviewed = Map.of("planId", "gold", "version", 1);
        assertThat(DANA.postCsrf("/portal/api/admin/subscriptions/" + subscriptionId + "/approve", reviewed).status())
                .isEqualTo(403);
        assertThat(new PortalClient(BASE).get("/portal/api/admin/subscriptions", "Authorization",
                basic("ops", "wrong")).status()).isEqualTo(401);

        PortalClient.Answer pending = new PortalClient(BASE).get("/portal/api/admin/subscriptions?status=PENDING",
                "Authorization", basic("ops", "ops-secret"));
        assertThat(pending.status()).isEqualTo(200);
        assertThat(pending.json().get("subscriptions").findValuesAsText("subscriptionId")).containsExactly(subscriptionId);
        assertThat(pending.json().get("subscriptions").get(0).get("version").asLong()).isEqualTo(1);
        // Basic alone never changes anything: a browser would send cached credentials with a cross-site form post
        PortalClient.Answer basicOnly = new PortalClient(BASE).post("/portal/api/admin/subscriptions/" + subscriptionId
                + "/approve", reviewed, "Authorization", basic("ops", "ops-secret"));
        assertThat(basicOnly.status()).isEqualTo(403);
        assertThat(basicOnly.text("error")).isEqualTo("csrf_token_invalid");
        assertThat(passwordGrant(client).text("error")).isEqualTo("unauthorized_client");
        PortalClient withSession = new PortalClient(BASE);
        withSession.enter("login", "ops", "ops-secret");
        PortalClient.Answer approved = withSession.post("/portal/api/admin/subscriptions/" + subscriptionId
                + "/approve", reviewed, "Authorization", basic("ops", "ops-secret"), "X-CSRF-Token", withSession.csrf);
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.text("status")).isEqualTo("APPROVED");
        assertThat(approved.json().get("version").asLong()).isEqualTo(2);
        PortalClient.Answer grant = passwordGrant(client, "scope", "read write");
        assertThat(grant.status()).isEqualTo(200);
        assertThat(grant.text("scope")).isEqualTo("read write");

        // An operator logging in to the portal is an admin there; a session-based decision needs the CSRF token.
        assertThat(OPS.enter("login", "ops", "ops-secret").json().get("admin").asBoolean()).isTrue();
        Map<String, Object> reviewedApproval = Map.of("planId", "gold", "version", 2);
        assertThat(OPS.post("/portal/api/admin/subscriptions/" + subscriptionId + "/reject", reviewedApproval).status())
                .isEqualTo(403);
        PortalClient.Answer rejected = OPS.postCsrf("/portal/api/admin/subscriptions/" + subscriptionId + "/reject",
                reviewedApproval);
        assertThat(rejected.text("status")).isEqualTo("REJECTED");
        assertThat(passwordGrant(client).text("error")).isEqualTo("unauthorized_client");
        assertThat(DANA.get("/portal/api/apps/" + client).json().get("subscriptions").get(0).get("status").asText())
                .isEqualTo("REJECTED");
        assertThat(OPS.postCsrf("/portal/api/admin/subscriptions/nope/approve", reviewed).status()).isEqualTo(404);
    }

    /**
     * The developer switches plans between the operator's review and the click. The subscription id stays the
     * same, so an approval by id alone would approve a plan the operator never saw. The decision names the reviewed
     * plan and version: a stale one is 409 and writes nothing (no registry record, no audit event); a current one is
     * an operator.action naming the operator on tollgate.auth-events.
     */
    @Test
    @Order(8)
    void aDecisionOnASubscriptionChangedSinceTheReviewIs409AndWritesNothing() {
        String client = DANA.postCsrf("/portal/api/apps", Map.of("name", "Switcher", "type", "public",
                "grantTypes", List.of("password"))).text("clientId");
        String subscriptionId = DANA.postCsrf("/portal/api/apps/" + client + "/subscriptions",
                Map.of("api", "mobile", "planId", "gold")).text("subscriptionId");
        // the operator reviews the pending queue: gold, version 1
        JsonNode shown = OPS.get("/portal/api/admin/subscriptions?status=PENDING").json().get("subscriptions");
        JsonNode review = java.util.stream.StreamSupport.stream(shown.spliterator(), false)
                .filter(s -> s.get("subscriptionId").asText().equals(subscriptionId)).findFirst().orElseThrow();
        assertThat(review.get("planId").asText()).isEqualTo("gold");
        assertThat(review.get("version").asLong()).isEqualTo(1);
        // ... and meanwhile the developer switches to platinum: same subscription id, next version
        PortalClient.Answer switched = DANA.postCsrf("/portal/api/apps/" + client + "/subscriptions",
                Map.of("api", "mobile", "planId", "platinum"));
        assertThat(switched.text("subscriptionId")).isEqualTo(subscriptionId);
        assertThat(switched.json().get("version").asLong()).isEqualTo(2);
        String key = "sub:" + client + ":mobile";
        int recordsBefore = registryUntil(key, v -> v != null && ((io.tollgate.shared.events.SubscriptionRecord)
                v.data()).planId().equals("platinum")).stream().filter(r -> key.equals(r.key())).toList().size();
        assertThat(recordsBefore).isEqualTo(2);

        Map<String, Object> stale = Map.of("planId", "gold", "version", 1);
        for (String decision : List.of("approve", "reject")) {
            PortalClient.Answer refused = OPS.postCsrf("/portal/api/admin/subscriptions/" + subscriptionId + "/"
                    + decision, stale);
            assertThat(refused.status()).as(decision).isEqualTo(409);
            assertThat(refused.header("Content-Type")).startsWith("application/json");
            assertThat(refused.text("error")).isEqualTo("subscription_changed");
            assertThat(refused.text("error_description")).contains("platinum").contains("version 2");
        }
        // the right version with another plan, or the right plan with the old version, is no better
        assertThat(OPS.post("/portal/api/admin/subscriptions/" + subscriptionId + "/approve",
                Map.of("planId", "gold", "version", 2), "Authorization", basic("ops", "ops-secret"),
                "X-CSRF-Token", OPS.csrf).status()).isEqualTo(409);
        assertThat(OPS.postCsrf("/portal/api/admin/subscriptions/" + subscriptionId + "/approve",
                Map.of("planId", "platinum", "version", 1)).status()).isEqualTo(409);
        // a decision that does not say what was reviewed is a 400
        for (Object body : List.of(Map.of("planId", "platinum"), Map.of("version", 2),
                Map.of("planId", "platinum", "version", "2"), Map.of("planId", "platinum", "version", -1),
                Map.of("planId", "platinum", "version", 2.5), "{}")) {
            assertThat(OPS.postCsrf("/portal/api/admin/subscriptions/" + subscriptionId + "/approve", body).status())
                    .as("body " + body).isEqualTo(400);
        }
        assertThat(OPS.postCsrf("/portal/api/admin/subscriptions/" + subscriptionId + "/approve", null).status())
                .isEqualTo(415);
        assertThat(passwordGrant(client).text("error")).isEqualTo("unauthorized_client");
        assertThat(DANA.get("/portal/api/apps/" + client).json().get("subscriptions").get(0).get("status").asText())
                .isEqualTo("PENDING");

        // what the operator now reviews, they can approve
        PortalClient.Answer approved = OPS.postCsrf("/portal/api/admin/subscriptions/" + subscriptionId + "/approve",
                Map.of("planId", "platinum", "version", 2));
        assertThat(approved.status()).as(approved.response().body()).isEqualTo(200);
        assertThat(approved.text("planId")).isEqualTo("platinum");
        assertThat(approved.json().get("version").asLong()).isEqualTo(3);
        assertThat(passwordGrant(client).status()).isEqualTo(200);

        // the registry holds exactly the developer's two writes and the one approval: the refusals wrote nothing
        List<io.tollgate.shared.events.SubscriptionRecord> written = registryUntil(key, v -> v != null
                && ((io.tollgate.shared.events.SubscriptionRecord) v.data()).version() == 3).stream()
                .filter(r -> key.equals(r.key())).map(r -> (io.tollgate.shared.events.SubscriptionRecord) r.value().data())
                .toList();
        assertThat(written).extracting(io.tollgate.shared.events.SubscriptionRecord::version).containsExactly(1L, 2L, 3L);
        assertThat(written).extracting(io.tollgate.shared.events.SubscriptionRecord::planId)
                .containsExactly("gold", "platinum", "platinum");

        // and the audit stream has the approval, naming the operator and what was reviewed; nothing for the refusals
        var audit = STACK.kafka().readUntil(Topics.AUTH_EVENTS, rs -> rs.stream().anyMatch(r -> isDecisionOn(r.value(),
                subscriptionId)), Duration.ofSeconds(20)).stream().filter(r -> isDecisionOn(r.value(), subscriptionId))
                .toList();
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).key()).isEqualTo("ops");
        assertThat(audit.get(0).value().type()).isEqualTo("tollgate.operator.action");
        OperatorAction action = audit.get(0).value().dataAs(OperatorAction.class);
        assertThat(action.operator()).isEqualTo("ops");
        assertThat(action.action()).isEqualTo(OperatorAction.Action.SUBSCRIPTION_APPROVED);
        assertThat(action.clientId()).isEqualTo(client);
        assertThat(action.api()).isEqualTo("mobile");
        assertThat(action.planId()).isEqualTo("platinum");
        assertThat(action.version()).isEqualTo(2);
        assertThat(action.ip()).isEqualTo("127.0.0.1");
    }

    private static boolean isDecisionOn(Event<?> event, String subscriptionId) {
        return event != null && event.data() instanceof OperatorAction a && a.target().equals(subscriptionId);
    }

    @Test
    @Order(9)
    void usageSumsTheUsersCountsOfRecentWindowsAndShowsTheRateLimitStanding() {
        long now = Instant.now().getEpochSecond();
        long minute = RedisKeys.Window.MINUTE.start(now);
        long hour = RedisKeys.Window.HOUR.start(now);
        try (Jedis jedis = STACK.redis().jedis()) {
            jedis.set(RedisKeys.usage(publicClient, "alice", RedisKeys.Window.MINUTE, minute), "7");
            jedis.set(RedisKeys.usage(publicClient, "bob", RedisKeys.Window.MINUTE, minute), "5");
            jedis.set(RedisKeys.usage(publicClient, "alice", RedisKeys.Window.MINUTE, minute - 60), "3");
            jedis.set(RedisKeys.usage(publicClient, "alice", RedisKeys.Window.HOUR, hour), "40");
            jedis.set(RedisKeys.usage(publicClient + "x", "alice", RedisKeys.Window.MINUTE, minute), "1000");  // other app
            jedis.set(RedisKeys.usage(publicClient, "erin", RedisKeys.Window.MINUTE, minute - 120), "50"); // past
            // the gateway's quota state (admitted calls plus leases) is not the standing: revocation-stream's counts are
            jedis.set(RedisKeys.rateLimit(publicClient, "alice", RedisKeys.Window.MINUTE, minute), "19");
            jedis.set(RedisKeys.apiUsage(publicClient, "mobile", RedisKeys.Window.MINUTE, minute), "11");
            jedis.set(RedisKeys.apiUsage(publicClient, "mobile", RedisKeys.Window.MINUTE, minute - 59 * 60), "2");
            jedis.set(RedisKeys.apiUsage(publicClient, "mobile", RedisKeys.Window.MINUTE, minute - 60 * 60), "99"); // too old
            jedis.set(RedisKeys.apiUsage(publicClient, "mobile", RedisKeys.Window.DAY,
                    RedisKeys.Window.DAY.start(now) - 6 * 86_400), "300");
            jedis.set(RedisKeys.apiUsage(publicClient, "reports", RedisKeys.Window.MINUTE, minute), "8"); // not subscribed
        }
        PortalClient.Answer usage = DANA.get("/portal/api/apps/" + publicClient + "/usage");
        assertThat(usage.status()).isEqualTo(200);
        JsonNode m = usage.json().get("windows").get("m");
        assertThat(m).hasSize(60);
        assertThat(m.get(59).get("start").asLong()).isEqualTo(minute);
        assertThat(m.get(59).get("calls").asLong()).isEqualTo(12);
        assertThat(m.get(58).get("calls").asLong()).isEqualTo(3);
        assertThat(usage.json().get("windows").get("h").get(23).get("calls").asLong()).isEqualTo(40);
        assertThat(usage.json().get("windows").get("d")).hasSize(7);
        JsonNode standing = usage.json().get("rateLimits").get(0);
        assertThat(standing.get("api").asText()).isEqualTo("mobile");
        assertThat(standing.get("window").asText()).isEqualTo("m");
        assertThat(standing.get("limit").asLong()).isEqualTo(60);
        assertThat(standing.get("busiestUserCalls").asLong()).isEqualTo(7);
        assertThat(standing.get("topUsers")).extracting(u -> u.get("user").asText() + "=" + u.get("calls").asLong())
                .containsExactly("alice=7", "bob=5");
        assertThat(usage.json().get("rateLimits").get(1).get("window").asText()).isEqualTo("h");
        assertThat(usage.json().get("rateLimits").get(1).get("topUsers")).extracting(u -> u.get("user").asText()
                + "=" + u.get("calls").asLong()).containsExactly("alice=40");
        assertThat(usage.json().get("rateLimits").get(2).get("topUsers")).as("no count today").isEmpty();

        // Per subscribed API: revocation-stream's (app, API) counts of the same windows.
        JsonNode apis = usage.json().get("apis");
        assertThat(apis).hasSize(1);
        assertThat(apis.get(0).get("api").asText()).isEqualTo("mobile");
        assertThat(apis.get(0).get("planId").asText()).isEqualTo("basic");
        JsonNode perMinute = apis.get(0).get("windows").get("m");
        assertThat(perMinute).hasSize(60);
        assertThat(perMinute.get(59).get("start").asLong()).isEqualTo(minute);
        assertThat(perMinute.get(59).get("calls").asLong()).isEqualTo(11);
        assertThat(perMinute.get(0).get("start").asLong()).isEqualTo(minute - 59 * 60);
        assertThat(perMinute.get(0).get("calls").asLong()).isEqualTo(2);
        long sum = 0;
        for (JsonNode point : perMinute) {
            sum += point.get("calls").asLong();
        }
        assertThat(sum).as("the window an hour ago is not among the last 60 minutes").isEqualTo(13);
        assertThat(apis.get(0).get("windows").get("d").get(0).get("calls").asLong()).isEqualTo(300);
        assertThat(apis.get(0).get("windows").get("h")).hasSize(24);
    }

    @Test
    @Order(10)
    void deletingAnAppTombstonesItAndItsSubscriptions() {
        PortalClient.Answer deleted = DANA.send("DELETE", "/portal/api/apps/" + confidentialClient, null,
                "X-CSRF-Token", DANA.csrf);
        assertThat(deleted.status()).isEqualTo(204);
        registryUntil(ApplicationRecord.key(confidentialClient), v -> v == null);
        registryUntil("sub:" + confidentialClient + ":mobile", v -> v == null);
        assertThat(DANA.get("/portal/api/apps/" + confidentialClient).status()).isEqualTo(404);
        assertThat(passwordGrant(confidentialClient, "client_secret", confidentialSecret).status()).isEqualTo(401);
    }

    @Test
    @Order(11)
    void theUiAndTheContractAreServed() {
        PortalClient.Answer index = DANA.get("/portal/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.header("Content-Type")).startsWith("text/html");
        assertThat(index.header("Content-Security-Policy")).contains("script-src 'self'");
        assertThat(index.response().body()).contains("/portal/app.js").doesNotContain("http://", "https://");
        assertThat(DANA.get("/portal/app.js").response().body()).contains("X-CSRF-Token").doesNotContain("innerHTML");
        assertThat(DANA.get("/portal/style.css").status()).isEqualTo(200);
        assertThat(DANA.get("/portal/openapi.yaml").response().body()).startsWith("openapi: 3");
        assertThat(DANA.get("/portal/secret.txt").status()).isEqualTo(404);
    }

    @Test
    @Order(12)
    void everyRecordedAnswerMatchesTheOpenApiContract() throws IOException {
        OpenApiContract contract = OpenApiContract.load();
        assertThat(PortalClient.RECORDED).hasSizeGreaterThan(30);
        for (PortalClient.Answer a : PortalClient.RECORDED) {
            contract.check(a);
        }
        assertThat(contract.checkedOperations()).hasSizeGreaterThanOrEqualTo(14);
    }

    @Test
    @Order(13)
    void noLogLineCarriesAPasswordSecretSessionIdOrCsrfToken() {
        for (PortalClient.Answer a : PortalClient.RECORDED) {
            for (String field : List.of("clientSecret", "csrfToken")) {
                if (a.text(field) != null) {
                    SECRETS.add(a.text(field));
                }
            }
            String cookie = a.header("Set-Cookie");
            if (cookie != null && cookie.startsWith("tg_portal=") && !cookie.startsWith("tg_portal=;")) {
                SECRETS.add(cookie.substring("tg_portal=".length(), cookie.indexOf(';')));
            }
        }
        for (String mail : STACK.outbox().all()) {
            io.tollgate.tokenapi.Outbox.tokenIn(mail).ifPresent(SECRETS::add);
        }
        assertThat(SECRETS).hasSizeGreaterThan(10);
        assertThat(STACK.logs()).isNotEmpty();
        for (ILoggingEvent event : STACK.logs()) {
            String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            for (String secret : SECRETS) {
                assertThat(line).as("log line").doesNotContain(secret);
            }
        }
        assertThat(STACK.logs()).anyMatch(e -> e.getFormattedMessage().startsWith("event=portal.app_registered"));
    }

    @Test
    @Order(14)
    void logoutEndsTheSession() {
        PortalClient.Answer out = DANA.postCsrf("/portal/api/logout", null);
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.header("Set-Cookie")).contains("Max-Age=0");
        assertThat(DANA.get("/portal/api/apps").status()).isEqualTo(401);
    }
}
