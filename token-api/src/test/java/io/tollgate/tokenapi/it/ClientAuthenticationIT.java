package io.tollgate.tokenapi.it;

import io.dropwizard.testing.ConfigOverride;
import io.tollgate.shared.crypto.PasswordHashes;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.tollgate.tokenapi.it.Http.params;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint that checks a secret (token, RFC 7009 revocation, RFC 7662
 * introspection, {@code /admin}, the portal's admin API, the admin port's tasks) goes through one authenticator and
 * one brute-force guard, reads HTTP Basic plain (RFC 7617) and form-urlencoded (RFC 6749 §2.3.1) alike, and
 * operator state changes cannot be made by a cross-site form post carrying a browser's cached Basic credentials.
 */
class ClientAuthenticationIT {
    static final String IP = "127.0.0.1";
    static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    /** Every RFC 3986 unreserved character that is not alphanumeric, and every reserved one. */
    static final String UNRESERVED = "-._~";
    static final String RESERVED = ":/?#[]@!$&'()*+,;=";
    static final String CLIENT_SECRET = "cS0" + UNRESERVED + RESERVED + "z";
    static final String RS_SECRET = "rS1" + RESERVED + UNRESERVED + "z";
    static final String OPS_SECRET = "oP2" + UNRESERVED + RESERVED + "%z"; // and a % that is no escape
    /** Names with the unreserved characters that oauth4webapi encodes anyway. */
    static final String CLIENT = "conf.client-1_~";
    static final String RESOURCE_SERVER = "rs.api-1_~";
    static final String OPERATOR = "ops.admin-1_~";

    /** A confidential client whose secret is never sent right before the guard test: never remembered. */
    static final String LOCK_CLIENT = "lock-client";
    static final String LOCK_SECRET = "lock-secret-" + RESERVED;

    static final List<ApplicationRecord> APPS = List.of(
            new ApplicationRecord("conf-app", CLIENT, "Confidential", ApplicationRecord.ClientType.CONFIDENTIAL,
                    PasswordHashes.hash(CLIENT_SECRET, 10_000), "it@example.test", AT),
            new ApplicationRecord("lock-app", LOCK_CLIENT, "Locked", ApplicationRecord.ClientType.CONFIDENTIAL,
                    PasswordHashes.hash(LOCK_SECRET, 10_000), "it@example.test", AT),
            new ApplicationRecord("pending-app", "pending-client", "Pending", ApplicationRecord.ClientType.PUBLIC,
                    null, "it@example.test", AT));

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("client-auth-it")
            .registry(APPS.get(0), APPS.get(1), APPS.get(2),
                    new SubscriptionRecord("sub-conf", "conf-app", CLIENT, "mobile", "premium",
                            SubscriptionRecord.Status.APPROVED, AT),
                    new SubscriptionRecord("sub-lock", "lock-app", LOCK_CLIENT, "mobile", "premium",
                            SubscriptionRecord.Status.APPROVED, AT),
                    new SubscriptionRecord("sub-pending", "pending-app", "pending-client", "mobile", "premium",
                            SubscriptionRecord.Status.PENDING, AT))
            .config(ConfigOverride.config("operators[0].name", OPERATOR),
                    ConfigOverride.config("operators[0].passwordHash", PasswordHashes.hash(OPS_SECRET, 10_000)),
                    ConfigOverride.config("resourceServers[0].name", RESOURCE_SERVER),
                    ConfigOverride.config("resourceServers[0].passwordHash", PasswordHashes.hash(RS_SECRET, 10_000)))
            .cleanRedisBeforeEach()
            .build();

    static Http http;

    @BeforeAll
    static void client() {
        http = new Http(STACK.baseUrl());
    }

    /** RFC 7617: the id and secret as they are. */
    static String plain(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 6749 §2.3.1 as oauth4webapi sends it: form-urlencoded, {@code -._~*} included. */
    static String encoded(String id, String secret) {
        return plain(formEncode(id), formEncode(secret));
    }

    static String formEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace(".", "%2E").replace("-", "%2D")
                .replace("_", "%5F").replace("*", "%2A").replace("~", "%7E");
    }

    static Http.Answer login(String authorization) {
        return http.postForm("/oauth2/token", params("grant_type", "password", "username", "alice",
                "password", "alice-secret"), "Authorization", authorization);
    }

    static Http.Answer revoke(String authorization, String token) {
        return http.postForm("/oauth2/revoke", params("token", token), "Authorization", authorization);
    }

    static Http.Answer introspect(String authorization, String token) {
        return http.postForm("/oauth2/introspect", params("token", token), "Authorization", authorization);
    }

    static Http.Answer adminRevoke(String user, String contentType, String body, String authorization) {
        return http.post("/admin/users/" + user + "/revoke", contentType, body.getBytes(StandardCharsets.UTF_8),
                "Authorization", authorization);
    }

    static String redis(String key) {
        try (Jedis jedis = STACK.redis().jedis()) {
            return jedis.get(key);
        }
    }

    static boolean exists(String key) {
        try (Jedis jedis = STACK.redis().jedis()) {
            return jedis.exists(key);
        }
    }

    static int task(String authorization) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                + STACK.app().getAdminPort() + "/tasks/gc")).POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Authorization", authorization).build();
        return java.net.http.HttpClient.newHttpClient().send(request,
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    // ---- item 1: one guard --------------------------------------------------------------------------------

    @Test
    void wrongSecretsAtTheRevocationEndpointLockTheAddressWhichIsThenRefusedWithoutHashing() {
        int threshold = STACK.app().getConfiguration().lockout.ipFailures;
        for (int i = 0; i < 25; i++) {
            Http.Answer wrong = revoke(plain(LOCK_CLIENT, "guess-" + i), "some-token");
            assertThat(wrong.status()).as("attempt " + i).isEqualTo(401);
            assertThat(wrong.text("error")).isEqualTo("invalid_client");
            assertThat(wrong.header("WWW-Authenticate")).startsWith("Basic");
            assertThat(wrong.header("Cache-Control")).isEqualTo("no-store");
        }
        // the threshold locked the address, and nothing was counted (so nothing hashed) once it was locked
        assertThat(exists(RedisKeys.ipLock(IP))).isTrue();
        assertThat(redis(RedisKeys.ipFailures(IP))).isEqualTo(Integer.toString(threshold));
        // locked: even the right secret, never verified before, is refused, because it is not hashed
        Http.Answer right = revoke(plain(LOCK_CLIENT, LOCK_SECRET), "some-token");
        assertThat(right.status()).isEqualTo(401);
        assertThat(right.text("error")).isEqualTo("invalid_client");
        // the same guard: the token endpoint refuses this address too, as it answers a locked address
        Http.Answer token = login(plain(LOCK_CLIENT, LOCK_SECRET));
        assertThat(token.status()).isEqualTo(401);
        assertThat(token.text("error")).isEqualTo("invalid_client");
        assertThat(token.header("WWW-Authenticate")).startsWith("Basic");
        Http.Answer publicClient = http.postForm("/oauth2/token", params("grant_type", "password",
                "client_id", DemoRegistry.CLIENT_ID, "username", "alice", "password", "alice-secret"));
        assertThat(publicClient.text("error")).isEqualTo("invalid_grant");
    }

    @Test
    void theTokenAndRevocationEndpointsCountWrongSecretsInOneGuard() {
        int threshold = STACK.app().getConfiguration().lockout.ipFailures;
        for (int i = 0; i < threshold; i++) {
            Http.Answer wrong = i % 2 == 0 ? login(plain(LOCK_CLIENT, "guess-" + i))
                    : revoke(encoded(LOCK_CLIENT, "guess-" + i), "some-token");
            assertThat(wrong.status()).isEqualTo(401);
        }
        assertThat(exists(RedisKeys.ipLock(IP))).isTrue();
        assertThat(revoke(encoded(LOCK_CLIENT, LOCK_SECRET), "some-token").status()).isEqualTo(401);
        assertThat(login(encoded(LOCK_CLIENT, LOCK_SECRET)).status()).isEqualTo(401);
        assertThat(redis(RedisKeys.ipFailures(IP))).isEqualTo(Integer.toString(threshold));
    }

    // ---- item 2: both spellings of Basic on every endpoint ---------------------------------------------------

    @Test
    void everyEndpointThatChecksASecretAcceptsPlainAndFormEncodedBasic() throws Exception {
        for (boolean formEncoded : new boolean[] {false, true}) {
            String spelling = formEncoded ? "form-urlencoded" : "plain";
            String client = formEncoded ? encoded(CLIENT, CLIENT_SECRET) : plain(CLIENT, CLIENT_SECRET);
            String rs = formEncoded ? encoded(RESOURCE_SERVER, RS_SECRET) : plain(RESOURCE_SERVER, RS_SECRET);
            String ops = formEncoded ? encoded(OPERATOR, OPS_SECRET) : plain(OPERATOR, OPS_SECRET);

            Http.Answer token = login(client);
            assertThat(token.status()).as("token endpoint, " + spelling).isEqualTo(200);
            String access = token.text("access_token");
            Http.Answer active = introspect(rs, access);
            assertThat(active.status()).as("introspection, " + spelling).isEqualTo(200);
            assertThat(active.json().get("active").asBoolean()).isTrue();
            assertThat(revoke(client, access).status()).as("revocation, " + spelling).isEqualTo(200);
            assertThat(introspect(rs, access).json().get("active").asBoolean()).as("revoked, " + spelling).isFalse();
            assertThat(adminRevoke("nobody-" + spelling, "application/json", "{\"reason\":\"it\"}", ops).status())
                    .as("/admin, " + spelling).isEqualTo(204);
            assertThat(http.get("/portal/api/admin/subscriptions", "Authorization", ops).status())
                    .as("portal admin, " + spelling).isEqualTo(200);
            assertThat(task(ops)).as("admin port task, " + spelling).isEqualTo(200);
        }
        // a wrong secret is refused in either spelling, on every endpoint
        for (String wrong : List.of(plain(CLIENT, CLIENT_SECRET + "x"), encoded(CLIENT, CLIENT_SECRET + "x"))) {
            assertThat(login(wrong).status()).isEqualTo(401);
            assertThat(revoke(wrong, "t").status()).isEqualTo(401);
        }
        for (String wrong : List.of(plain(RESOURCE_SERVER, RS_SECRET + "x"), encoded(RESOURCE_SERVER, "x" + RS_SECRET))) {
            Http.Answer refused = introspect(wrong, "t");
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.text("error")).isEqualTo("invalid_client");
        }
        for (String wrong : List.of(plain(OPERATOR, OPS_SECRET + "x"), encoded(OPERATOR, "x" + OPS_SECRET))) {
            assertThat(adminRevoke("nobody", "application/json", "{}", wrong).status()).isEqualTo(401);
            assertThat(http.get("/portal/api/admin/subscriptions", "Authorization", wrong).status()).isEqualTo(401);
        }
    }

    // ---- item 5: cross-site requests --------------------------------------------------------------------------

    @Test
    void aCrossSiteFormPostWithCachedOperatorCredentialsChangesNothing() {
        String ops = plain(OPERATOR, OPS_SECRET);
        // what an HTML form (or a no-preflight fetch) can send: form, multipart, text/plain, or no body at all
        Map<String, String> crossSite = Map.of(
                "application/x-www-form-urlencoded", "",
                "multipart/form-data; boundary=x", "--x--\r\n",
                "text/plain", "{\"reason\":\"csrf\"}");
        for (var e : crossSite.entrySet()) {
            for (String path : List.of("/admin/users/bob/revoke", "/admin/clients/demo-mobile/revoke")) {
                Http.Answer refused = http.post(path, e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8),
                        "Authorization", ops);
                assertThat(refused.status()).as(path + " as " + e.getKey()).isEqualTo(415);
                assertThat(refused.text("error")).isEqualTo("invalid_request");
            }
        }
        Http.Answer none = http.post("/admin/users/bob/revoke", null, new byte[0], "Authorization", ops);
        assertThat(none.status()).isEqualTo(415);
        assertThat(exists(RedisKeys.userNotBefore("bob"))).isFalse();
        assertThat(exists(RedisKeys.clientNotBefore("demo-mobile"))).isFalse();
        // what the operator's own tools send still works, with or without a body
        assertThat(adminRevoke("bob", "application/json; charset=utf-8", "", ops).status()).isEqualTo(204);
        assertThat(exists(RedisKeys.userNotBefore("bob"))).isTrue();
    }

    @Test
    void thePortalsAdminChangesNeedTheCsrfTokenEvenWithBasicCredentials() throws Exception {
        String ops = plain(OPERATOR, OPS_SECRET);
        String approve = "/portal/api/admin/subscriptions/sub-pending/approve";
        // what the operator reviewed (plan and version): only the missing session token refuses these
        byte[] reviewed = "{\"planId\":\"premium\",\"version\":1}".getBytes(StandardCharsets.UTF_8);
        Http.Answer basicOnly = http.post(approve, "application/json", reviewed, "Authorization", ops);
        assertThat(basicOnly.status()).isEqualTo(403);
        assertThat(basicOnly.text("error")).isEqualTo("csrf_token_invalid");
        Http.Answer formPost = http.post(approve, "application/x-www-form-urlencoded", new byte[0],
                "Authorization", ops);
        assertThat(formPost.status()).isEqualTo(403);

        Http.Answer session = http.post("/portal/api/login", "application/json",
                ("{\"email\":\"" + OPERATOR + "\",\"password\":" + Http.JSON.writeValueAsString(OPS_SECRET) + "}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(session.status()).isEqualTo(200);
        String cookie = session.header("Set-Cookie").split(";", 2)[0];
        String csrf = session.text("csrfToken");
        assertThat(http.post(approve, "application/json", reviewed, "Authorization", ops, "Cookie", cookie,
                "X-CSRF-Token", "wrong").status()).isEqualTo(403);
        assertThat(http.get("/portal/api/admin/subscriptions?status=PENDING", "Authorization", ops).json()
                .get("subscriptions").findValuesAsText("subscriptionId")).contains("sub-pending");

        Http.Answer approved = http.post(approve, "application/json", reviewed, "Authorization", ops, "Cookie", cookie,
                "X-CSRF-Token", csrf);
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.text("status")).isEqualTo("APPROVED");
    }
}
