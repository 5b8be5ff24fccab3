package io.tollgate.ops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import io.tollgate.ops.stack.StackConfig;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ClientTokenIssued;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.PolicyDecision;
import io.tollgate.shared.json.Json;
import io.tollgate.shared.topics.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo service client on the real stack ({@link SharedStack}): {@code demo-service} gets a token by the client
 * credentials grant with Nimbus' OAuth 2.0 SDK, calls the API {@code mobile} through the gateway as itself (every
 * identity header but the user id), is audited without a policy denial, and an operator's revocation of the client
 * ends its tokens at the gateway.
 */
@ExtendWith(SharedStack.class)
@Order(SharedStack.CLIENT_CREDENTIALS)
class ClientCredentialsIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ClientID SERVICE = new ClientID(DemoRegistry.SERVICE_CLIENT_ID);
    private static StackConfig config;

    @BeforeAll
    static void useTheSharedStack() {
        config = SharedStack.config();
    }

    private static TokenResponse token(ClientID client, String secret, Scope scope) throws Exception {
        return TokenResponse.parse(new TokenRequest(URI.create(config.issuer() + "/oauth2/token"),
                new ClientSecretBasic(client, new Secret(secret)), new ClientCredentialsGrant(), scope)
                .toHTTPRequest().send());
    }

    private static Tokens tokenOk() throws Exception {
        TokenResponse response = token(SERVICE, DemoRegistry.SERVICE_CLIENT_SECRET, null);
        assertThat(response.indicatesSuccess()).as(() -> response.toErrorResponse().getErrorObject().toString())
                .isTrue();
        return response.toSuccessResponse().getTokens();
    }

    private static HttpResponse<String> call(String method, AccessToken token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + config.host + ":"
                        + config.port("gateway") + "/mobile/service/report")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token.getValue())
                .header("X-Authenticated-UserId", "alice"); // a client passing itself off as a user
        return HTTP.send(("GET".equals(method) ? request.GET()
                : request.method(method, HttpRequest.BodyPublishers.ofString("{}"))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The first call may meet the projection still being rebuilt after the CLI suite's flush: 503, then 200. */
    private static HttpResponse<String> callWhenReady(String method, AccessToken token) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> response = call(method, token);
        while (response.statusCode() == 503 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            response = call(method, token);
        }
        return response;
    }

    private static ErrorObject error(TokenResponse response) {
        assertThat(response.indicatesSuccess()).isFalse();
        return response.toErrorResponse().getErrorObject();
    }

    @Test
    void theServiceClientCallsTheApiAsItselfAndItsRevocationEndsItsTokens() throws Exception {
        Tokens tokens = tokenOk();
        assertThat(tokens.getRefreshToken()).as("no refresh token for client credentials").isNull();
        assertThat(tokens.getAccessToken().getScope().toStringList()).containsExactlyInAnyOrder("read", "write");

        HttpResponse<String> read = callWhenReady("GET", tokens.getAccessToken());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        JsonNode headers = Json.mapper().readTree(read.body()).path("headers");
        assertThat(headers.has("x-authenticated-userid")).as(read.body()).isFalse();
        assertThat(headers.path("x-authenticated-scope").asText()).isEqualTo("read write");
        assertThat(headers.path("x-credential-identifier").asText()).isEqualTo("demo-service");
        assertThat(headers.path("x-consumer-custom-id").asText()).isEqualTo(DemoRegistry.SERVICE_SUBSCRIPTION_ID);
        assertThat(headers.path("x-consumer-username").asText()).isEqualTo("demo-service-app$mobile");
        assertThat(headers.path("x-apiplan").asText()).isEqualTo("premium");
        assertThat(read.headers().firstValue("RateLimit-Policy").orElseThrow()).contains("\"minute\";q=600");
        assertThat(call("POST", tokens.getAccessToken()).statusCode()).as("premium grants write").isEqualTo(200);

        Tokens readOnly = token(SERVICE, DemoRegistry.SERVICE_CLIENT_SECRET, new Scope("read")).toSuccessResponse()
                .getTokens();
        assertThat(call("GET", readOnly.getAccessToken()).statusCode()).isEqualTo(200);
        assertThat(call("POST", readOnly.getAccessToken()).statusCode()).isEqualTo(403);

        // the issuance is audited, keyed by the client, and policy-worker decides nothing about it
        String jti = com.nimbusds.jwt.SignedJWT.parse(tokens.getAccessToken().getValue()).getJWTClaimsSet().getJWTID();
        List<Event<?>> audit = TopicReader.readAll(config.kafkaBootstrap(), Topics.AUTH_EVENTS.name());
        assertThat(audit).anyMatch(e -> e.data() instanceof ClientTokenIssued c && c.jti().equals(jti)
                && c.clientId().equals("demo-service"));
        assertThat(audit.toString()).doesNotContain(tokens.getAccessToken().getValue())
                .doesNotContain(DemoRegistry.SERVICE_CLIENT_SECRET);
        Thread.sleep(1_000); // policy-worker had its chance to (wrongly) decide about the client
        assertThat(TopicReader.readAll(config.kafkaBootstrap(), Topics.POLICY_DECISIONS.name()))
                .noneMatch(e -> e.data() instanceof PolicyDecision d && "demo-service".equals(d.userId()));
        assertThat(call("GET", tokens.getAccessToken()).statusCode()).as("still admitted").isEqualTo(200);

        // the operator revokes the client: its tokens die at the gateway; one issued a second later works
        HttpResponse<String> revoked = HTTP.send(HttpRequest.newBuilder(
                        URI.create(config.issuer() + "/admin/clients/demo-service/revoke"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("ops:ops-secret"
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"leaked secret (e2e)\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(revoked.statusCode()).isEqualTo(204);
        long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        int status = 200;
        while (status != 401 && System.nanoTime() < deadline) {
            status = call("GET", tokens.getAccessToken()).statusCode();
            Thread.sleep(10);
        }
        assertThat(status).as("the revoked client's token").isEqualTo(401);
        Thread.sleep(1_100); // not-before is in whole seconds
        assertThat(call("GET", tokenOk().getAccessToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void aWrongSecretOrAPublicClientGetsNoToken() throws Exception {
        ErrorObject wrong = error(token(SERVICE, "not-the-secret", null));
        assertThat(wrong.getCode()).isEqualTo("invalid_client");
        assertThat(wrong.getHTTPStatusCode()).isEqualTo(401);

        // the SDK refuses to send client_credentials without client authentication: the request by hand
        HttpResponse<String> publicClient = HTTP.send(HttpRequest.newBuilder(URI.create(config.issuer()
                        + "/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                        + DemoRegistry.CLIENT_ID)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(publicClient.statusCode()).isEqualTo(400);
        assertThat(Json.mapper().readTree(publicClient.body()).path("error").asText()).isEqualTo("unauthorized_client");
    }
}
