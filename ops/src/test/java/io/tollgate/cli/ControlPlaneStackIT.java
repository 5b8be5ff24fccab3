package io.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.Tokens;
import io.tollgate.ops.e2e.PortalDeveloper;
import io.tollgate.ops.e2e.SharedStack;
import io.tollgate.ops.stack.StackConfig;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.json.Json;
import io.tollgate.testkit.FreePorts;
import io.tollgate.testkit.HeadlessChromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * APIs and plans as data, end to end on the real services of {@link SharedStack} and a second gateway node: an
 * operator applies a {@code tollgate.yaml} that adds an API with a plan that needs approval; a developer subscribes
 * an app to it in the portal (headless Chromium) and the operator approves from the CLI; users call the new API
 * through both gateways; at twice the plan's app-wide limit, the two gateways together admit exactly the limit;
 * applying the file without the API makes both nodes answer 404 {@code unknown_api} within 5 s; an invalid file is
 * refused with its schema paths and lines and changes nothing; a blocked user is refused and revoked until unblocked.
 */
@ExtendWith(SharedStack.class)
@Order(SharedStack.CONTROL_PLANE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlPlaneStackIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path SHOTS = Path.of("target/control-plane-screenshots");
    private static final String API = "orders";
    private static final String PLAN = "orders-partner";
    /** The plan's limit per minute for the whole app, all users together; each user may make more on their own. */
    private static final int APP_PER_MINUTE = 20;

    private static StackConfig config;
    private static final List<Integer> GATEWAYS = new ArrayList<>();
    private static JsonNode original;
    private static Path dir;
    private static String client;

    @BeforeAll
    static void boot() throws Exception {
        config = SharedStack.config();
        int second = FreePorts.find();
        SharedStack.stack().startNode("gateway", "control-plane-b", second, FreePorts.find());
        GATEWAYS.add(config.port("gateway"));
        GATEWAYS.add(second);
        dir = Files.createTempDirectory("tollgate-control-plane-");
    }

    @AfterAll
    static void restore() throws Exception {
        if (original != null) {
            Path file = dir.resolve("restore.yaml");
            YAML.writeValue(file.toFile(), original);
            cli("apply", "-f", file.toString());
        }
    }

    @Test
    @Order(1)
    void applyAddsAnApiWithAPlanThatNeedsApproval() throws Exception {
        CliRunner.Result export = cli("export");
        assertThat(export.code()).as(export.err()).isZero();
        original = YAML.readTree(export.out());
        assertThat(original.path("apis").findValuesAsText("name")).contains(DemoRegistry.API);

        ObjectNode desired = original.deepCopy();
        ((ArrayNode) desired.withArray("apis")).add(YAML.valueToTree(Map.of(
                "name", API,
                "pathPrefix", "/orders/",
                "upstreams", List.of(config.upstreamUrl()),
                "scopes", Map.of("GET", "read", "*", "write"),
                "requiredGroup", "mobile-users")));
        ((ArrayNode) desired.withArray("plans")).add(YAML.valueToTree(Map.of(
                "id", PLAN,
                "api", API,
                "name", "Orders partner",
                "scopes", List.of("read", "write"),
                "limits", Map.of("perMinute", 1_000, "appPerMinute", APP_PER_MINUTE, "monthlyQuota", 1_000_000),
                "maxDevices", 5,
                "requiresApproval", true,
                "grants", List.of("password", "refresh_token"))));
        Path file = dir.resolve("tollgate.yaml");
        YAML.writeValue(file.toFile(), desired);

        CliRunner.Result diff = cli("diff", "-f", file.toString());
        assertThat(diff.code()).as(diff.err()).isZero();
        assertThat(diff.out()).contains(API, PLAN);

        CliRunner.Result applied = cli("apply", "-f", file.toString());
        assertThat(applied.code()).as(applied.err()).isZero();
        assertThat(applied.out()).contains(API, PLAN);

        CliRunner.Result again = cli("diff", "-f", file.toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).as("applied: nothing left to change").doesNotContain(PLAN);
    }

    @Test
    @Order(2)
    void anInvalidFileIsRefusedWithItsPathsAndLinesAndChangesNothing() throws Exception {
        Path file = dir.resolve("invalid.yaml");
        Files.writeString(file, """
                apis:
                  - name: broken
                    pathPrefix: no-slash
                    upstreams: [ftp://example.test]
                    scopes: {GET: read}
                plans: []
                """);
        CliRunner.Result refused = cli("apply", "-f", file.toString());
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("invalid.yaml:3", "pathPrefix").contains("invalid.yaml:4", "upstreams");
        CliRunner.Result export = cli("export");
        assertThat(YAML.readTree(export.out()).path("apis").findValuesAsText("name")).doesNotContain("broken")
                .contains(API, DemoRegistry.API);
    }

    @Test
    @Order(3)
    void aDeveloperSubscribesInThePortalAndTheOperatorApprovesFromTheCli() throws Exception {
        HeadlessChromium browser = HeadlessChromium.start(HeadlessChromium.PHONE, SHOTS);
        try {
            WebDriver driver = browser.driver();
            driver.get(config.issuer() + "/portal/#login");
            browser.heading("Log in");
            driver.findElement(By.id("email")).sendKeys(DemoRegistry.OWNER_EMAIL);
            driver.findElement(By.id("password")).sendKeys(DemoRegistry.OWNER_PASSWORD);
            driver.findElement(By.id("login-submit")).click();
            browser.heading("My applications");
            driver.findElement(By.linkText("New app")).click();
            browser.heading("Register an application");
            driver.findElement(By.id("name")).sendKeys("Orders app");
            new Select(driver.findElement(By.id("type"))).selectByValue("public");
            driver.findElement(By.id("create-app")).click();
            client = browser.await().until(ExpectedConditions.visibilityOfElementLocated(By.id("client-id"))).getText();
            driver.findElement(By.id("grant-password")).click();
            driver.findElement(By.id("save-grants")).click();
            browser.await().until(ExpectedConditions.textToBePresentInElementLocated(By.id("grant-types"), "password"));
            new Select(driver.findElement(By.id("plan"))).selectByValue(API + "|" + PLAN);
            driver.findElement(By.id("subscribe")).click();
            browser.await().until(ExpectedConditions.textToBePresentInElementLocated(By.id("subscriptions"), "PENDING"));
            browser.shot("pending");
        } finally {
            browser.close();
        }
        assertThat(loginError(client, "alice")).as("pending: no tokens yet").isEqualTo("unauthorized_client");

        PortalDeveloper owner = PortalDeveloper.logIn(config, DemoRegistry.OWNER_EMAIL, DemoRegistry.OWNER_PASSWORD);
        String subscription = owner.app(client).get("subscriptions").get(0).get("subscriptionId").asText();
        CliRunner.Result approved = cli("approve", subscription);
        assertThat(approved.code()).as(approved.err()).isZero();
        eventually(() -> loginError(client, "alice") == null, "alice logs in with the approved app");
    }

    @Test
    @Order(4)
    void usersCallTheNewApiThroughBothGatewaysAndTheAppWideLimitHoldsExactlyAcrossThem() throws Exception {
        awaitMinuteHeadroom(40);
        List<Tokens> users = List.of(login(client, "alice"), login(client, "bob"), login(client, "erin"));
        int within = 0;
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> answer = call(GATEWAYS.get(i % 2), users.get(i % 3), "/orders/item/" + i);
            assertThat(answer.statusCode()).as("call %d within the limits: %s", i, answer.body()).isEqualTo(200);
            assertThat(Json.mapper().readTree(answer.body()).path("headers").path("x-credential-identifier").asText())
                    .isEqualTo(client);
            within++;
        }

        // Twice the app-wide limit, from three users at once, spread over both gateways.
        int load = 2 * APP_PER_MINUTE;
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < load; i++) {
            int n = i;
            answers.add(pool.submit(() -> call(GATEWAYS.get(n % 2), users.get(n % 3), "/orders/load/" + n)));
        }
        int admitted = 0;
        int limited = 0;
        String tightest = null;
        for (Future<HttpResponse<String>> f : answers) {
            HttpResponse<String> answer = f.get();
            if (answer.statusCode() == 200) {
                admitted++;
            } else {
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(429);
                limited++;
                tightest = answer.headers().firstValue("RateLimit").orElse(null);
            }
        }
        pool.shutdown();
        System.out.printf("app-wide limit %d/min: %d within, then %d admitted and %d refused of %d over two gateways%n",
                APP_PER_MINUTE, within, admitted, limited, load);
        assertThat(within + admitted).as("exactly the app-wide limit, across both nodes").isEqualTo(APP_PER_MINUTE);
        assertThat(tightest).as("a refusal names the app-wide window").startsWith("\"app-minute\";r=0;");
    }

    @Test
    @Order(5)
    void applyingTheFileWithoutTheApiMakesBothGatewaysAnswerUnknownApiWithinFiveSeconds() throws Exception {
        Path file = dir.resolve("without-orders.yaml");
        YAML.writeValue(file.toFile(), original);
        Tokens alice = login(DemoRegistry.CLIENT_ID, "alice");
        long start = System.nanoTime();
        CliRunner.Result applied = cli("apply", "-f", file.toString());
        assertThat(applied.code()).as(applied.err()).isZero();
        assertThat(applied.out()).contains(API);
        for (int port : GATEWAYS) {
            long deadline = start + Duration.ofSeconds(5).toNanos();
            HttpResponse<String> answer = call(port, alice, "/orders/item/1");
            while (answer.statusCode() != 404 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                answer = call(port, alice, "/orders/item/1");
            }
            System.out.printf("gateway %d: 404 for the removed API %d ms after apply started%n", port,
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
            assertThat(answer.statusCode()).as("gateway %d within 5 s: %s", port, answer.body()).isEqualTo(404);
            assertThat(Json.mapper().readTree(answer.body()).path("error").asText()).isEqualTo("unknown_api");
            assertThat(call(port, alice, "/mobile/still-there").statusCode()).isEqualTo(200);
        }
        original = null;
    }

    @Test
    @Order(6)
    void aBlockedUserIsRevokedAndRefusedUntilUnblocked() throws Exception {
        Tokens erin = login(DemoRegistry.CLIENT_ID, "erin");
        assertThat(call(GATEWAYS.get(0), erin, "/mobile/before-block").statusCode()).isEqualTo(200);

        CliRunner.Result blocked = cli("block-user", "erin", "--reason", "control plane e2e");
        long blockedSecond = Instant.now().getEpochSecond();
        assertThat(blocked.code()).as(blocked.err()).isZero();
        assertThat(loginError(DemoRegistry.CLIENT_ID, "erin")).isEqualTo("invalid_grant");
        for (int port : GATEWAYS) {
            eventually(() -> call(port, erin, "/mobile/after-block").statusCode() == 401,
                    "gateway " + port + " refuses erin's token");
        }
        CliRunner.Result users = cli("users");
        assertThat(users.code()).as(users.err()).isZero();
        assertThat(users.out()).contains("erin", "control plane e2e");

        CliRunner.Result unblocked = cli("unblock-user", "erin");
        assertThat(unblocked.code()).as(unblocked.err()).isZero();
        assertThat(cli("users").out()).doesNotContain("erin");
        // The block's revocation covers every token issued up to its second (fail closed); a login after it works.
        while (Instant.now().getEpochSecond() <= blockedSecond) {
            Thread.sleep(50);
        }
        Tokens again = login(DemoRegistry.CLIENT_ID, "erin");
        assertThat(call(GATEWAYS.get(1), again, "/mobile/after-unblock").statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> call(int port, Tokens tokens, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + config.host + ":" + port + path))
                .header("Authorization", "Bearer " + tokens.getAccessToken().getValue())
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static CliRunner.Result cli(String... args) {
        Map<String, String> env = new HashMap<>(config.serviceEnvironment());
        env.put("TOLLGATE_OPERATOR_PASSWORD", "ops-secret");
        return CliRunner.run(env, args);
    }

    private static TokenResponse grant(String clientId, String user) throws Exception {
        return TokenResponse.parse(new TokenRequest(URI.create(config.issuer() + "/oauth2/token"),
                new ClientID(clientId), new ResourceOwnerPasswordCredentialsGrant(user, new Secret(user + "-secret")))
                .toHTTPRequest().send());
    }

    private static Tokens login(String clientId, String user) throws Exception {
        TokenResponse response = grant(clientId, user);
        assertThat(response.indicatesSuccess()).as("%s logs in with %s", user, clientId).isTrue();
        return response.toSuccessResponse().getTokens();
    }

    private static String loginError(String clientId, String user) throws Exception {
        TokenResponse response = grant(clientId, user);
        return response.indicatesSuccess() ? null : response.toErrorResponse().getErrorObject().getCode();
    }

    private static void eventually(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(condition.call())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + " did not happen within 20 s");
    }

    /** Waits for the next minute when fewer than {@code seconds} are left in this one. */
    private static void awaitMinuteHeadroom(int seconds) throws InterruptedException {
        long left = 60 - Instant.now().getEpochSecond() % 60;
        if (left < seconds) {
            Thread.sleep(left * 1000 + 200);
        }
    }
}
