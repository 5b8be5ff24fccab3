package io.tollgate.ops.e2e;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.sun.net.httpserver.HttpServer;
import io.tollgate.ops.stack.StackConfig;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.json.Json;
import io.tollgate.testkit.HeadlessChromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization code flow with PKCE on the real stack, as a native app does it (RFC 8252): the demo apps' owner
 * registers {@code demo-mobile}'s redirect URIs in the portal API; the app (Nimbus OAuth 2.0 SDK) builds the
 * authorization request with an S256 code verifier and a loopback redirect URI on a port it just opened; Debian's
 * headless Chromium shows token-api's hosted login page, where a wrong password is refused on the page and the right
 * one redirects to the loopback listener with code, state and iss; the app exchanges the code and calls the API
 * through the gateway; the same code presented again is refused and revokes the tokens issued from it, which the
 * gateway then refuses too. Runs after the other suites sharing the stack (it changes nothing they read).
 */
@ExtendWith(SharedStack.class)
@Order(SharedStack.CODE_FLOW)
class CodeFlowIT {
    private static final Path SHOTS = Path.of("target/code-flow-e2e-screenshots");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static StackConfig config;
    private static HeadlessChromium browser;
    private static HttpServer listener;
    private static final CompletableFuture<URI> CALLBACK = new CompletableFuture<>();

    @BeforeAll
    static void start() throws Exception {
        config = SharedStack.config();
        // the app's loopback redirect listener, on a port of its own (matched against http://127.0.0.1/callback)
        listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/callback", exchange -> {
            CALLBACK.complete(URI.create("http://127.0.0.1:" + listener.getAddress().getPort()
                    + exchange.getRequestURI()));
            byte[] body = "<!DOCTYPE html><title>Done</title><h1>You can return to the app</h1>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        listener.start();
        browser = HeadlessChromium.start(HeadlessChromium.PHONE, SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (listener != null) {
            listener.stop(0);
        }
    }

    @Test
    void aNativeAppLogsAliceInThroughTheHostedPageAndCallsTheApi() throws Exception {
        PortalDeveloper owner = PortalDeveloper.logIn(config, DemoRegistry.OWNER_EMAIL, DemoRegistry.OWNER_PASSWORD);
        List<String> uris = List.of("io.tollgate.demo:/oauth2redirect", "http://127.0.0.1/callback");
        assertThat(owner.setRedirectUris(DemoRegistry.CLIENT_ID, uris).path("redirectUris").toString())
                .isEqualTo(Json.mapper().writeValueAsString(uris));

        URI redirect = URI.create("http://127.0.0.1:" + listener.getAddress().getPort() + "/callback");
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        AuthorizationRequest request = new AuthorizationRequest.Builder(new ResponseType(ResponseType.Value.CODE),
                new ClientID(DemoRegistry.CLIENT_ID))
                .endpointURI(URI.create(config.issuer() + "/oauth2/authorize"))
                .redirectionURI(redirect).state(state).scope(new Scope("read"))
                .codeChallenge(verifier, CodeChallengeMethod.S256).build();

        WebDriver driver = browser.driver();
        driver.get(request.toURI().toString());
        browser.heading("Sign in");
        assertThat(driver.findElement(By.tagName("body")).getText()).contains("Demo mobile app");
        driver.findElement(By.id("username")).sendKeys("alice");
        driver.findElement(By.id("password")).sendKeys("not-her-password");
        browser.shot("01-login-page");
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        browser.heading("Sign in");
        assertThat(driver.findElement(By.cssSelector("[role=alert]")).getText())
                .isEqualTo("invalid username or password");
        assertThat(CALLBACK).isNotDone();
        browser.shot("02-wrong-password");

        driver.findElement(By.id("password")).sendKeys("alice-secret");
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        URI callback = CALLBACK.get(30, TimeUnit.SECONDS);
        browser.heading("You can return to the app");
        browser.shot("03-redirected-to-the-app");

        AuthorizationResponse response = AuthorizationResponse.parse(callback);
        assertThat(response.indicatesSuccess()).as(callback.toString()).isTrue();
        AuthorizationSuccessResponse success = response.toSuccessResponse();
        assertThat(success.getState()).isEqualTo(state);
        assertThat(success.getIssuer().getValue()).isEqualTo(config.issuer());
        AuthorizationCode code = success.getAuthorizationCode();

        TokenRequest exchange = new TokenRequest(URI.create(config.issuer() + "/oauth2/token"),
                new ClientID(DemoRegistry.CLIENT_ID), new AuthorizationCodeGrant(code, redirect, verifier));
        TokenResponse tokenResponse = TokenResponse.parse(exchange.toHTTPRequest().send());
        assertThat(tokenResponse.indicatesSuccess()).as(() -> tokenResponse.toErrorResponse().getErrorObject()
                .toJSONObject().toString()).isTrue();
        Tokens tokens = tokenResponse.toSuccessResponse().getTokens();
        assertThat(tokens.getRefreshToken()).isNotNull();

        HttpResponse<String> call = callApi(tokens.getAccessToken().getValue());
        assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
        assertThat(Json.mapper().readTree(call.body()).path("headers").path("x-authenticated-userid").asText())
                .isEqualTo("alice");

        // the code again: invalid_grant, and the family issued from it is revoked, at the gateway too
        TokenResponse replay = TokenResponse.parse(exchange.toHTTPRequest().send());
        assertThat(replay.indicatesSuccess()).isFalse();
        assertThat(((TokenErrorResponse) replay).getErrorObject().getCode()).isEqualTo("invalid_grant");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int status = callApi(tokens.getAccessToken().getValue()).statusCode();
        while (status != 401 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = callApi(tokens.getAccessToken().getValue()).statusCode();
        }
        assertThat(status).as("the replayed code's access token at the gateway").isEqualTo(401);
    }

    private static HttpResponse<String> callApi(String accessToken) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + config.host + ":" + config.port("gateway")
                        + "/mobile/code-flow")).header("Authorization", "Bearer " + accessToken)
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
