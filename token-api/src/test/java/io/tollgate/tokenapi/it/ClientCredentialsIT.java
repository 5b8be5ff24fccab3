package io.tollgate.tokenapi.it;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tollgate.shared.crypto.PasswordHashes;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.ClientTokenIssued;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.events.TokenRevoked;
import io.tollgate.shared.topics.Topics;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static io.tollgate.tokenapi.it.Http.params;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client credentials grant (RFC 6749 §4.4) against a real Kafka broker, Redis and LDAP directory: the demo's
 * confidential {@code demo-service} on plan premium, plus two confidential clients that may not use the grant (one
 * because the application does not allow it, one because its plan does not).
 */
class ClientCredentialsIT {
    static final String SERVICE = DemoRegistry.SERVICE_CLIENT_ID;
    static final String SECRET = DemoRegistry.SERVICE_CLIENT_SECRET;
    static final String OTHER_SECRET = "cc-it-secret";
    static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    /** Confidential, subscribed to premium, but the application allows only the legacy grants. */
    static final ApplicationRecord LEGACY = new ApplicationRecord("cc-legacy-app", "cc-legacy", "Legacy",
            ApplicationRecord.ClientType.CONFIDENTIAL, PasswordHashes.hash(OTHER_SECRET, 10_000), "it@example.test", AT);
    static final SubscriptionRecord LEGACY_SUB = new SubscriptionRecord("sub-cc-legacy", "cc-legacy-app", "cc-legacy",
            "mobile", "premium", SubscriptionRecord.Status.APPROVED, AT);
    /** Allows client credentials, but its plan (basic) does not. */
    static final ApplicationRecord ON_BASIC = new ApplicationRecord("cc-basic-app", "cc-basic", "On basic",
            ApplicationRecord.ClientType.CONFIDENTIAL, PasswordHashes.hash(OTHER_SECRET, 10_000), "it@example.test", AT,
            null, Set.of("client_credentials"), List.of(), false);
    static final SubscriptionRecord ON_BASIC_SUB = new SubscriptionRecord("sub-cc-basic", "cc-basic-app", "cc-basic",
            "mobile", "basic", SubscriptionRecord.Status.APPROVED, AT);

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("client-credentials-it")
            .registry(LEGACY, LEGACY_SUB, ON_BASIC, ON_BASIC_SUB).cleanRedisBeforeEach().build();

    static Http http;

    @BeforeAll
    static void client() {
        http = new Http(STACK.baseUrl());
    }

    static Http.Answer basic(String client, String secret, String... form) {
        return http.postForm("/oauth2/token", params(form), "Authorization", Http.basic(client, secret));
    }

    static Http.Answer grant(String... extra) {
        String[] form = new String[extra.length + 2];
        form[0] = "grant_type";
        form[1] = "client_credentials";
        System.arraycopy(extra, 0, form, 2, extra.length);
        return basic(SERVICE, SECRET, form);
    }

    static JWTClaimsSet claims(Http.Answer answer) throws Exception {
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        return SignedJWT.parse(answer.text("access_token")).getJWTClaimsSet();
    }

    static void assertError(Http.Answer answer, int status, String error) {
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(status);
        assertThat(answer.text("error")).isEqualTo(error);
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void aConfidentialClientGetsAClientTokenAndNoRefreshToken() throws Exception {
        Http.Answer answer = grant();
        JWTClaimsSet claims = claims(answer);
        assertThat(answer.text("token_type")).isEqualTo("Bearer");
        assertThat(answer.json().has("refresh_token")).as("RFC 6749 §4.4.3").isFalse();
        assertThat(answer.text("scope")).isEqualTo("read write");
        assertThat(answer.json().get("expires_in").asLong()).isPositive();
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        assertThat(answer.header("Pragma")).isEqualTo("no-cache");

        assertThat(claims.getSubject()).isEqualTo(SERVICE);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(SERVICE);
        assertThat(claims.getStringClaim("gty")).isEqualTo("client_credentials");
        assertThat(claims.getClaim("sid")).as("no token family").isNull();
        assertThat(claims.getAudience()).containsExactly("mobile");
        assertThat(claims.getStringClaim("scope")).isEqualTo("read write");

        // the audit event: keyed by the client, carrying the jti and never the token
        List<ConsumerRecord<String, Event<?>>> records = STACK.kafka().readUntil(Topics.AUTH_EVENTS,
                rs -> rs.stream().anyMatch(r -> r.value().data() instanceof ClientTokenIssued c
                        && c.jti().equals(claims.getJWTID())), Duration.ofSeconds(20));
        ConsumerRecord<String, Event<?>> issued = records.stream().filter(r -> r.value().data()
                instanceof ClientTokenIssued c && c.jti().equals(claims.getJWTID())).findFirst().orElseThrow();
        assertThat(issued.key()).isEqualTo(SERVICE);
        ClientTokenIssued event = (ClientTokenIssued) issued.value().data();
        assertThat(event.applicationId()).isEqualTo(DemoRegistry.SERVICE_APPLICATION_ID);
        assertThat(event.scope()).isEqualTo("read write");
        assertThat(event.audience()).containsExactly("mobile");
        assertThat(event.expiresAt().getEpochSecond()).isEqualTo(claims.getExpirationTime().toInstant().getEpochSecond());
        assertThat(issued.value().toString()).doesNotContain(answer.text("access_token")).doesNotContain(SECRET);

        // introspection: active, the client's, no user name
        Http.Answer introspected = http.postForm("/oauth2/introspect", params("token", answer.text("access_token")),
                "Authorization", Http.basic("gateway", "gateway-secret"));
        assertThat(introspected.json().get("active").asBoolean()).isTrue();
        assertThat(introspected.text("client_id")).isEqualTo(SERVICE);
        assertThat(introspected.json().has("username")).isFalse();
        assertThat(introspected.json().has("sid")).isFalse();
    }

    @Test
    void everyClientAuthenticationMethodWorks() throws Exception {
        String encoded = "Basic " + Base64.getEncoder().encodeToString((URLEncoder.encode(SERVICE, StandardCharsets.UTF_8)
                + ":" + URLEncoder.encode(SECRET, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        assertThat(claims(http.postForm("/oauth2/token", params("grant_type", "client_credentials"),
                "Authorization", encoded)).getSubject()).isEqualTo(SERVICE);
        assertThat(claims(http.postForm("/oauth2/token", params("grant_type", "client_credentials",
                "client_id", SERVICE, "client_secret", SECRET))).getSubject()).isEqualTo(SERVICE);
    }

    @Test
    void scopeAndResourceNarrowTheToken() throws Exception {
        Http.Answer read = grant("scope", "read");
        assertThat(read.text("scope")).isEqualTo("read");
        assertThat(claims(read).getStringClaim("scope")).isEqualTo("read");
        assertThat(grant("scope", "read admin").text("scope")).as("what cannot be granted is dropped").isEqualTo("read");
        assertError(grant("scope", "admin"), 400, "invalid_scope");

        assertThat(claims(grant("resource", "mobile")).getAudience()).containsExactly("mobile");
        assertError(grant("resource", "orders"), 400, "invalid_target");
    }

    @Test
    void aPublicClientIsUnauthorized() {
        assertError(http.postForm("/oauth2/token", params("grant_type", "client_credentials", "client_id",
                DemoRegistry.CLIENT_ID)), 400, "unauthorized_client");
    }

    @Test
    void aWrongSecretIsInvalidClientWithABasicChallenge() {
        Http.Answer wrong = basic(SERVICE, "not-the-secret", "grant_type", "client_credentials");
        assertError(wrong, 401, "invalid_client");
        assertThat(wrong.header("WWW-Authenticate")).startsWith("Basic");
        assertError(http.postForm("/oauth2/token", params("grant_type", "client_credentials", "client_id", SERVICE,
                "client_secret", "not-the-secret")), 401, "invalid_client");
        assertError(http.postForm("/oauth2/token", params("grant_type", "client_credentials", "client_id", SERVICE)),
                401, "invalid_client");
    }

    @Test
    void aClientWhoseAppOrPlanDoesNotAllowTheGrantIsUnauthorized() {
        assertError(basic("cc-legacy", OTHER_SECRET, "grant_type", "client_credentials"), 400, "unauthorized_client");
        assertError(basic("cc-basic", OTHER_SECRET, "grant_type", "client_credentials"), 400, "unauthorized_client");
        // and the service client may use no other grant than its own
        assertError(basic(SERVICE, SECRET, "grant_type", "password", "username", "alice", "password", "alice-secret"),
                400, "unauthorized_client");
    }

    @Test
    void theMetadataListsTheGrant() {
        Http.Answer meta = http.get("/.well-known/oauth-authorization-server");
        assertThat(meta.json().get("grant_types_supported").toString()).contains("\"client_credentials\"",
                "\"password\"", "\"refresh_token\"");
    }

    @Test
    void theClientRevokesItsOwnTokenByRfc7009() throws Exception {
        Http.Answer issued = grant();
        String jti = claims(issued).getJWTID();
        Http.Answer revoked = http.postForm("/oauth2/revoke", params("token", issued.text("access_token")),
                "Authorization", Http.basic(SERVICE, SECRET));
        assertThat(revoked.status()).isEqualTo(200);
        Http.Answer introspected = http.postForm("/oauth2/introspect", params("token", issued.text("access_token")),
                "Authorization", Http.basic("gateway", "gateway-secret"));
        assertThat(introspected.json().get("active").asBoolean()).isFalse();
        // the audit names the client and the jti, no user
        List<ConsumerRecord<String, Event<?>>> records = STACK.kafka().readUntil(Topics.AUTH_EVENTS,
                rs -> rs.stream().anyMatch(r -> r.value().data() instanceof TokenRevoked t && jti.equals(t.target())),
                Duration.ofSeconds(20));
        TokenRevoked audit = records.stream().map(r -> r.value().data()).filter(d -> d instanceof TokenRevoked t
                && jti.equals(t.target())).map(TokenRevoked.class::cast).findFirst().orElseThrow();
        assertThat(audit.userId()).isNull();
        assertThat(audit.clientId()).isEqualTo(SERVICE);
    }

    @Test
    void anOperatorsClientRevocationEndsTheClientsTokens() throws Exception {
        Http.Answer before = grant();
        claims(before);
        Http.Answer revoked = http.post("/admin/clients/" + SERVICE + "/revoke", "application/json", new byte[0],
                "Authorization", Http.basic("ops", "ops-secret"));
        assertThat(revoked.status()).isEqualTo(204);
        Http.Answer introspected = http.postForm("/oauth2/introspect", params("token", before.text("access_token")),
                "Authorization", Http.basic("gateway", "gateway-secret"));
        assertThat(introspected.json().get("active").asBoolean()).isFalse();
    }
}
