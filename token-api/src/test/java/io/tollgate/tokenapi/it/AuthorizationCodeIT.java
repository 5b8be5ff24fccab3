package io.tollgate.tokenapi.it;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.crypto.PasswordHashes;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.LoginFailed;
import io.tollgate.shared.events.LoginLocked;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.topics.Topic;
import io.tollgate.shared.topics.Topics;
import io.tollgate.tokenapi.TokenApiTestStack;
import io.tollgate.tokenapi.core.Pkce;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tollgate.tokenapi.it.Http.params;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization code flow with PKCE against real Redis, Kafka and LDAP: the hosted login page, the redirect with
 * code, state and iss, the exchange at the token endpoint, every error of the authorization and token endpoints,
 * single use (a replay revokes the family), expiry, lockout through the page, and the audit events. Its own broker:
 * the apps and plans below must not reach the other ITs' registry.
 */
class AuthorizationCodeIT {
    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    static final Set<String> GRANTS = Set.of("password", "refresh_token", "authorization_code");
    static final String NATIVE_URI = "io.tollgate.demo:/oauth2redirect";
    static final String LOOPBACK_URI = "http://127.0.0.1/callback";
    static final String WEB_URI = "https://web.example.test/cb";

    static final PlanRecord CODE_PLAN = new PlanRecord("code-plan", DemoRegistry.API, "Code", Set.of("read"), 600, 0,
            0, 10, false, GRANTS);
    static final ApplicationRecord NATIVE = new ApplicationRecord("code-app", "code-mobile", "Code mobile",
            ApplicationRecord.ClientType.PUBLIC, null, "dev@example.test", CREATED, null, GRANTS,
            List.of(NATIVE_URI, LOOPBACK_URI), false);
    static final ApplicationRecord WEB = new ApplicationRecord("code-web-app", "code-web", "Code web",
            ApplicationRecord.ClientType.CONFIDENTIAL, PasswordHashes.hash("code-web-secret"), "dev@example.test",
            CREATED, null, GRANTS, List.of(WEB_URI), false);
    static final PlanRecord PASSWORD_PLAN = new PlanRecord("password-plan", DemoRegistry.API, "Password only",
            Set.of("read"), 600, 0, 0, 10, false, Set.of("password", "refresh_token"));
    /** Redirect URIs, but its plan does not allow the code grant. */
    static final ApplicationRecord NO_CODE = new ApplicationRecord("nocode-app", "nocode-mobile", "No code",
            ApplicationRecord.ClientType.PUBLIC, null, "dev@example.test", CREATED, null, GRANTS,
            List.of(NATIVE_URI), false);

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("code-it").dedicatedKafka(1)
            .registry(CODE_PLAN, NATIVE, WEB, NO_CODE, subscription(NATIVE, CODE_PLAN), subscription(WEB, CODE_PLAN),
                    PASSWORD_PLAN, subscription(NO_CODE, PASSWORD_PLAN))
            .cleanRedisBeforeEach().build();

    static Http http;
    static final SecureRandom RANDOM = new SecureRandom();
    static final Pattern REQUEST_ID = Pattern.compile("name=\"request\" value=\"([^\"]+)\"");

    static SubscriptionRecord subscription(ApplicationRecord app, PlanRecord plan) {
        return new SubscriptionRecord("sub-" + app.applicationId(), app.applicationId(), app.clientId(), plan.api(),
                plan.planId(), SubscriptionRecord.Status.APPROVED, CREATED);
    }

    @BeforeAll
    static void client() {
        http = new Http(STACK.baseUrl());
    }

    static String verifier() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** GET /oauth2/authorize with these parameters (in order; a value may repeat a name). */
    static Http.Answer authorize(String... kv) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            query.append(query.length() == 0 ? "?" : "&").append(q(kv[i])).append('=').append(q(kv[i + 1]));
        }
        return http.get("/oauth2/authorize" + query);
    }

    static Http.Answer page(String clientId, String redirectUri, String verifier, String state) {
        return authorize("response_type", "code", "client_id", clientId, "redirect_uri", redirectUri,
                "code_challenge", Pkce.challenge(verifier), "code_challenge_method", "S256", "state", state);
    }

    static String requestId(Http.Answer page) {
        Matcher m = REQUEST_ID.matcher(page.response().body());
        assertThat(m.find()).as(page.response().body()).isTrue();
        return m.group(1);
    }

    static Http.Answer submit(String requestId, String username, String password) {
        return http.postForm("/oauth2/authorize", params("request", requestId, "username", username, "password",
                password));
    }

    /** The query parameters of a 303's Location, after checking it goes to {@code redirectUri}. */
    static Map<String, String> redirected(Http.Answer answer, String redirectUri) {
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(303);
        String location = answer.header("Location");
        assertThat(location).startsWith(redirectUri + "?");
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : location.substring(redirectUri.length() + 1).split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        return out;
    }

    /** Logs {@code user} in on the page and returns the code. */
    static String code(String clientId, String redirectUri, String verifier, String user) {
        String state = "st-" + RANDOM.nextInt(1_000_000);
        Map<String, String> back = redirected(submit(requestId(page(clientId, redirectUri, verifier, state)), user,
                user + "-secret"), redirectUri);
        assertThat(back).containsEntry("state", state).containsEntry("iss", STACK.baseUrl()).containsKey("code");
        return back.get("code");
    }

    static Http.Answer exchange(String clientId, String code, String redirectUri, String verifier, String... headers) {
        Map<String, String> form = params("grant_type", "authorization_code", "code", code, "redirect_uri",
                redirectUri, "code_verifier", verifier);
        if (clientId != null) {
            form.put("client_id", clientId);
        }
        return http.postForm("/oauth2/token", form, headers);
    }

    static void assertError(Http.Answer answer, int status, String error) {
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(status);
        assertThat(answer.text("error")).isEqualTo(error);
    }

    static <T extends EventData> T awaitEvent(Topic<String, Event<?>> topic, Class<T> type, Predicate<T> match) {
        List<ConsumerRecord<String, Event<?>>> records = STACK.kafka().readUntil(topic, rs -> rs.stream()
                .anyMatch(r -> type.isInstance(r.value().data()) && match.test(type.cast(r.value().data()))),
                Duration.ofSeconds(20));
        return records.stream().map(r -> r.value().data()).filter(type::isInstance).map(type::cast).filter(match)
                .findFirst().orElseThrow();
    }

    @Test
    void thePageIsAPlainFormWithStrictHeaders() {
        Http.Answer page = page("code-mobile", NATIVE_URI, verifier(), "s1");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        String csp = page.header("Content-Security-Policy");
        assertThat(csp).contains("default-src 'none'", "frame-ancestors 'none'", "style-src 'sha256-")
                .contains("form-action 'self'");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        String html = page.response().body();
        assertThat(html).containsOnlyOnce("<form method=\"post\"").contains("name=\"username\"",
                "name=\"password\"", "type=\"hidden\" name=\"request\"");
        assertThat(html).doesNotContain("<script", "http://", "https://");
        // the request stays server-side: the page carries none of its parameters
        assertThat(html).doesNotContain("code_challenge", NATIVE_URI);
    }

    @Test
    void aPublicClientGetsACodeAndExchangesItOnceForANewFamily() throws Exception {
        String verifier = verifier();
        String code = code("code-mobile", NATIVE_URI, verifier, "alice");
        assertThat(Base64.getUrlDecoder().decode(code)).hasSize(32);
        try (Jedis jedis = STACK.redis().jedis()) {
            // stored hashed, for at most 60 s
            String key = RedisKeys.authorizationCode(Hashes.sha256(code));
            assertThat(jedis.ttl(key)).isBetween(1L, 60L);
            assertThat(jedis.keys("*" + code + "*")).isEmpty();
        }
        Http.Answer tokens = exchange("code-mobile", code, NATIVE_URI, verifier);
        assertThat(tokens.status()).as(tokens.response().body()).isEqualTo(200);
        assertThat(tokens.text("token_type")).isEqualTo("Bearer");
        assertThat(tokens.text("refresh_token")).isNotBlank();
        JWTClaimsSet claims = SignedJWT.parse(tokens.text("access_token")).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("code-mobile");
        assertThat(claims.getAudience()).containsExactly(DemoRegistry.API);
        assertThat(tokens.text("scope")).isEqualTo("read");
        String sid = claims.getStringClaim("sid");
        LoginSucceeded login = awaitEvent(Topics.AUTH_EVENTS, LoginSucceeded.class, l -> l.familyId().equals(sid));
        assertThat(login.userId()).isEqualTo("alice");
        assertThat(login.clientId()).isEqualTo("code-mobile");
        assertThat(login.applicationId()).isEqualTo("code-app");

        // the refresh token works like a password login's
        Http.Answer refreshed = http.postForm("/oauth2/token", params("grant_type", "refresh_token", "client_id",
                "code-mobile", "refresh_token", tokens.text("refresh_token")));
        assertThat(refreshed.status()).as(refreshed.response().body()).isEqualTo(200);

        // second use: invalid_grant, and the family issued from the code is revoked (RFC 6749 §4.1.2)
        assertError(exchange("code-mobile", code, NATIVE_URI, verifier), 400, "invalid_grant");
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.exists(RedisKeys.revokedFamily(sid))).isTrue();
        }
        Revocation revocation = awaitEvent(Topics.REVOCATIONS, Revocation.class,
                r -> sid.equals(r.familyId()));
        assertThat(revocation.kind()).isEqualTo(Revocation.Kind.FAMILY);
        assertThat(revocation.userId()).isEqualTo("alice");
        assertError(http.postForm("/oauth2/token", params("grant_type", "refresh_token", "client_id", "code-mobile",
                "refresh_token", refreshed.text("refresh_token"))), 400, "invalid_grant");
    }

    @Test
    void aLoopbackRedirectMatchesOnAnyPortAndAConfidentialClientAuthenticates() {
        String verifier = verifier();
        String loopback = "http://127.0.0.1:49152/callback";
        String code = code("code-mobile", loopback, verifier, "bob");
        // the exchange names the redirect URI exactly as the request did
        assertError(exchange("code-mobile", code("code-mobile", loopback, verifier, "bob"), LOOPBACK_URI, verifier),
                400, "invalid_grant");
        assertThat(exchange("code-mobile", code, loopback, verifier).status()).isEqualTo(200);

        String webVerifier = verifier();
        String webCode = code("code-web", WEB_URI, webVerifier, "erin");
        // a confidential client without its secret is not authenticated
        assertError(exchange("code-web", webCode, WEB_URI, webVerifier), 401, "invalid_client");
        Http.Answer ok = exchange(null, webCode, WEB_URI, webVerifier, "Authorization",
                Http.basic("code-web", "code-web-secret"));
        assertThat(ok.status()).as(ok.response().body()).isEqualTo(200);
    }

    @Test
    void everyBadExchangeIsInvalidGrantOrInvalidRequest() {
        String verifier = verifier();
        // a wrong verifier: invalid_grant, and the code is spent
        String code = code("code-mobile", NATIVE_URI, verifier, "alice");
        assertError(exchange("code-mobile", code, NATIVE_URI, verifier()), 400, "invalid_grant");
        assertError(exchange("code-mobile", code, NATIVE_URI, verifier), 400, "invalid_grant");
        // a wrong redirect URI
        assertError(exchange("code-mobile", code("code-mobile", NATIVE_URI, verifier, "alice"),
                "io.tollgate.demo:/other", verifier), 400, "invalid_grant");
        // another client's code
        String webCode = code("code-web", WEB_URI, verifier, "alice");
        assertError(exchange("code-mobile", webCode, WEB_URI, verifier), 400, "invalid_grant");
        // an unknown code
        assertError(exchange("code-mobile", "not-a-code", NATIVE_URI, verifier), 400, "invalid_grant");
        // malformed or missing parameters: invalid_request, the code untouched
        String kept = code("code-mobile", NATIVE_URI, verifier, "alice");
        assertError(exchange("code-mobile", kept, NATIVE_URI, "too-short"), 400, "invalid_request");
        assertError(exchange("code-mobile", kept, NATIVE_URI, verifier + "+"), 400, "invalid_request");
        assertError(http.postForm("/oauth2/token", params("grant_type", "authorization_code", "client_id",
                "code-mobile", "code", kept, "redirect_uri", NATIVE_URI)), 400, "invalid_request");
        assertError(http.postForm("/oauth2/token", params("grant_type", "authorization_code", "client_id",
                "code-mobile", "redirect_uri", NATIVE_URI, "code_verifier", verifier)), 400, "invalid_request");
        assertThat(exchange("code-mobile", kept, NATIVE_URI, verifier).status()).isEqualTo(200);
        // a client whose plan does not allow the grant
        assertError(exchange("nocode-mobile", "any", NATIVE_URI, verifier), 400, "unauthorized_client");
    }

    @Test
    void aTokenRequestsResourceNarrowsButNeverWidensTheAuthorization() throws Exception {
        String verifier = verifier();
        // the authorization named no resource: the exchange may name one of the client's APIs, not another
        String code = code("code-mobile", NATIVE_URI, verifier, "alice");
        assertError(http.postForm("/oauth2/token", params("grant_type", "authorization_code", "client_id",
                "code-mobile", "code", code, "redirect_uri", NATIVE_URI, "code_verifier", verifier, "resource",
                "ledger")), 400, "invalid_target");
        String again = code("code-mobile", NATIVE_URI, verifier, "alice");
        Http.Answer narrowed = http.postForm("/oauth2/token", params("grant_type", "authorization_code", "client_id",
                "code-mobile", "code", again, "redirect_uri", NATIVE_URI, "code_verifier", verifier, "resource",
                DemoRegistry.API));
        assertThat(narrowed.status()).as(narrowed.response().body()).isEqualTo(200);
        JWTClaimsSet claims = SignedJWT.parse(narrowed.text("access_token")).getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly(DemoRegistry.API);
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.hget(RedisKeys.family(claims.getStringClaim("sid")), "audience"))
                    .isEqualTo(DemoRegistry.API);
        }
        // an authorization that named the API: its code's family keeps to it
        Http.Answer page = authorize("response_type", "code", "client_id", "code-mobile", "redirect_uri", NATIVE_URI,
                "code_challenge", Pkce.challenge(verifier), "code_challenge_method", "S256", "resource",
                DemoRegistry.API);
        String named = redirected(submit(requestId(page), "alice", "alice-secret"), NATIVE_URI).get("code");
        Http.Answer withResource = exchange("code-mobile", named, NATIVE_URI, verifier);
        assertThat(withResource.status()).as(withResource.response().body()).isEqualTo(200);
        assertThat(SignedJWT.parse(withResource.text("access_token")).getJWTClaimsSet().getAudience())
                .containsExactly(DemoRegistry.API);
    }

    @Test
    void anExpiredCodeIsInvalidGrant() {
        String verifier = verifier();
        String code = code("code-mobile", NATIVE_URI, verifier, "alice");
        try (Jedis jedis = STACK.redis().jedis()) {
            String key = RedisKeys.authorizationCode(Hashes.sha256(code));
            // what the 60 s TTL does, now
            assertThat(jedis.pexpire(key, 1)).isEqualTo(1);
            while (jedis.exists(key)) {
                Thread.onSpinWait();
            }
        }
        assertError(exchange("code-mobile", code, NATIVE_URI, verifier), 400, "invalid_grant");
    }

    @Test
    void anUnknownClientOrAnUnregisteredRedirectUriIsAnErrorPageNeverARedirect() {
        String challenge = Pkce.challenge(verifier());
        for (Http.Answer answer : List.of(
                authorize("response_type", "code", "client_id", "no-such-client", "redirect_uri", NATIVE_URI,
                        "code_challenge", challenge, "code_challenge_method", "S256"),
                authorize("response_type", "code", "redirect_uri", NATIVE_URI, "code_challenge", challenge,
                        "code_challenge_method", "S256"),
                authorize("response_type", "code", "client_id", "code-mobile", "code_challenge", challenge,
                        "code_challenge_method", "S256"),
                authorize("response_type", "code", "client_id", "code-mobile", "redirect_uri",
                        "https://evil.example/cb", "code_challenge", challenge, "code_challenge_method", "S256"),
                authorize("response_type", "code", "client_id", "code-mobile", "redirect_uri", NATIVE_URI + "#x",
                        "code_challenge", challenge, "code_challenge_method", "S256"),
                authorize("response_type", "code", "client_id", "code-mobile", "redirect_uri",
                        "http://localhost:8000/callback", "code_challenge", challenge, "code_challenge_method", "S256"),
                authorize("response_type", "code", "client_id", "code-mobile", "redirect_uri", NATIVE_URI,
                        "redirect_uri", NATIVE_URI, "code_challenge", challenge, "code_challenge_method", "S256"),
                authorize("response_type", "code", "client_id", "code-web", "redirect_uri", NATIVE_URI,
                        "code_challenge", challenge, "code_challenge_method", "S256"))) {
            assertThat(answer.status()).as(answer.response().body()).isEqualTo(400);
            assertThat(answer.header("Location")).isNull();
            assertThat(answer.header("Content-Type")).startsWith("text/html");
            assertThat(answer.response().body()).contains("Sign-in error").doesNotContain("<script");
        }
    }

    @Test
    void otherAuthorizationErrorsRedirectWithErrorStateAndIss() {
        String challenge = Pkce.challenge(verifier());
        Map<String[], String> cases = new LinkedHashMap<>();
        cases.put(new String[] {"client_id", "code-mobile", "redirect_uri", NATIVE_URI, "code_challenge", challenge,
                "code_challenge_method", "S256"}, "invalid_request");
        cases.put(new String[] {"response_type", "token", "client_id", "code-mobile", "redirect_uri", NATIVE_URI,
                "code_challenge", challenge, "code_challenge_method", "S256"}, "unsupported_response_type");
        cases.put(new String[] {"response_type", "code", "client_id", "code-mobile", "redirect_uri", NATIVE_URI},
                "invalid_request");
        cases.put(new String[] {"response_type", "code", "client_id", "code-mobile", "redirect_uri", NATIVE_URI,
                "code_challenge", challenge}, "invalid_request");
        cases.put(new String[] {"response_type", "code", "client_id", "code-mobile", "redirect_uri", NATIVE_URI,
                "code_challenge", challenge, "code_challenge_method", "plain"}, "invalid_request");
        cases.put(new String[] {"response_type", "code", "client_id", "code-mobile", "redirect_uri", NATIVE_URI,
                "code_challenge", "short", "code_challenge_method", "S256"}, "invalid_request");
        cases.put(new String[] {"response_type", "code", "client_id", "code-mobile", "redirect_uri", NATIVE_URI,
                "code_challenge", challenge, "code_challenge_method", "S256", "scope", "admin"}, "invalid_scope");
        cases.put(new String[] {"response_type", "code", "client_id", "code-mobile", "redirect_uri", NATIVE_URI,
                "code_challenge", challenge, "code_challenge_method", "S256", "resource", "ledger"}, "invalid_target");
        cases.put(new String[] {"response_type", "code", "client_id", "nocode-mobile", "redirect_uri", NATIVE_URI,
                "code_challenge", challenge, "code_challenge_method", "S256"}, "unauthorized_client");
        cases.forEach((params, error) -> {
            String[] withState = java.util.Arrays.copyOf(params, params.length + 2);
            withState[params.length] = "state";
            withState[params.length + 1] = "xyz";
            Map<String, String> back = redirected(authorize(withState), NATIVE_URI);
            assertThat(back).as(String.join(" ", params)).containsEntry("error", error)
                    .containsEntry("state", "xyz").containsEntry("iss", STACK.baseUrl()).containsKey("error_description")
                    .doesNotContainKey("code");
        });
    }

    @Test
    void wrongCredentialsShowThePageAgainAndCountTowardsLockout() {
        String verifier = verifier();
        String id = requestId(page("code-mobile", NATIVE_URI, verifier, "s"));
        for (String[] attempt : List.of(new String[] {"bob", "wrong"}, new String[] {"nobody", "wrong"})) {
            Http.Answer again = submit(id, attempt[0], attempt[1]);
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.response().body()).contains("invalid username or password")
                    .doesNotContain("wrong");
            assertThat(requestId(again)).isEqualTo(id);
        }
        LoginFailed failed = awaitEvent(Topics.AUTH_EVENTS, LoginFailed.class,
                f -> f.userId().equals("bob") && "authorization_code".equals(f.grantType()));
        assertThat(failed.reason()).isEqualTo(LoginFailed.Reason.INVALID_CREDENTIALS);
        assertThat(failed.clientId()).isEqualTo("code-mobile");
        // bob's fifth failure locks him: then even his right password shows the same message
        for (int i = 0; i < 4; i++) {
            assertThat(submit(id, "bob", "wrong-" + i).status()).isEqualTo(200);
        }
        Http.Answer locked = submit(id, "bob", "bob-secret");
        assertThat(locked.status()).isEqualTo(200);
        assertThat(locked.response().body()).contains("invalid username or password");
        assertThat(locked.header("Location")).isNull();
        LoginLocked lock = awaitEvent(Topics.AUTH_EVENTS, LoginLocked.class,
                l -> l.userId().equals("bob") && l.clientId().equals("code-mobile"));
        assertThat(lock.scope()).isEqualTo(LoginLocked.Scope.USER);
        // the same request still works for another user
        Map<String, String> back = redirected(submit(id, "alice", "alice-secret"), NATIVE_URI);
        assertThat(back).containsKey("code").containsEntry("state", "s");
        // and is then spent: the form cannot be posted again
        Http.Answer replay = submit(id, "alice", "alice-secret");
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.header("Location")).isNull();
    }

    @Test
    void aUserWhoIsNotEntitledIsAccessDenied() {
        String id = requestId(page("code-mobile", NATIVE_URI, verifier(), "s2"));
        Map<String, String> back = redirected(submit(id, "carol", "carol-secret"), NATIVE_URI);
        assertThat(back).containsEntry("error", "access_denied").containsEntry("state", "s2")
                .containsEntry("iss", STACK.baseUrl()).doesNotContainKey("code");
        LoginFailed failed = awaitEvent(Topics.AUTH_EVENTS, LoginFailed.class,
                f -> f.userId().equals("carol") && "authorization_code".equals(f.grantType()));
        assertThat(failed.reason()).isEqualTo(LoginFailed.Reason.NOT_ENTITLED);
    }

    @Test
    void aForgedOrExpiredRequestIdIsAnErrorPage() {
        Http.Answer forged = submit("forged-request-id", "alice", "alice-secret");
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.header("Location")).isNull();
        assertThat(forged.response().body()).contains("Sign-in error");
        Http.Answer notAForm = http.post("/oauth2/authorize", "application/json", "{}".getBytes());
        assertThat(notAForm.status()).isEqualTo(400);
    }

    @Test
    void metadataAdvertisesTheCodeFlow() {
        Http.Answer meta = http.get("/.well-known/oauth-authorization-server");
        assertThat(meta.text("authorization_endpoint")).isEqualTo(STACK.baseUrl() + "/oauth2/authorize");
        assertThat(meta.json().get("response_types_supported").toString()).isEqualTo("[\"code\"]");
        assertThat(meta.json().get("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        assertThat(meta.json().get("authorization_response_iss_parameter_supported").asBoolean()).isTrue();
        assertThat(meta.json().get("grant_types_supported").toString()).contains("authorization_code");
        assertThat(URI.create(meta.text("authorization_endpoint")).getPath()).isEqualTo("/oauth2/authorize");
    }
}
