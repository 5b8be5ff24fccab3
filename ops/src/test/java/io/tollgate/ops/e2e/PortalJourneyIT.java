package io.tollgate.ops.e2e;

import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.Tokens;
import io.tollgate.ops.stack.StackConfig;
import io.tollgate.shared.json.Json;
import io.tollgate.testkit.HeadlessChromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The developer's journey through the real stack, in Debian's headless Chromium at a phone's size (390 x 844):
 * sign up in the portal and open the verification link from the stack's outbox, register a public mobile app,
 * subscribe it to {@code mobile} on {@code basic}, read its client id in the page; then, as that mobile app, log alice in at token-api with the client id and call the API
 * through the gateway N times; then the portal's usage chart for the {@code mobile} API shows those N calls
 * (revocation-stream counted the gateway's {@code api.call} events per (app, API)) and the rate-limit standing
 * shows alice's N calls of this minute against the plan's 60. Every page is screenshot into
 * {@code target/portal-e2e-screenshots/} and must be no wider than the phone's window.
 */
@ExtendWith(SharedStack.class)
@Order(SharedStack.PORTAL)
class PortalJourneyIT {
    private static final Path SHOTS = Path.of("target/portal-e2e-screenshots");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int CALLS = 7;

    private static StackConfig config;
    private static HeadlessChromium browser;
    private static WebDriver driver;
    private static final List<String> pagesChecked = new ArrayList<>();

    @BeforeAll
    static void start() {
        config = SharedStack.config();
        browser = HeadlessChromium.start(HeadlessChromium.PHONE, SHOTS);
        driver = browser.driver();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    /** Screenshot, then the phone check: the page is not wider than the window. */
    private static void page(String name) {
        browser.shot(name);
        HeadlessChromium.Overflow overflow = browser.horizontalOverflow();
        assertThat(overflow.overflows()).as(name + " at 390 px: " + overflow).isFalse();
        assertThat(overflow.innerWidth()).isEqualTo(HeadlessChromium.PHONE.getWidth());
        pagesChecked.add(name);
    }

    @Test
    void aDeveloperRegistersAnAppItsUserCallsTheApiAndThePortalChartsTheCalls() throws Exception {
        String portal = config.issuer() + "/portal/";
        driver.get(portal + "#signup");
        browser.heading("Create a developer account");
        String email = "journey-" + System.nanoTime() + "@example.test";
        driver.findElement(By.id("email")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys("a-long-journey-passphrase");
        page("01-signup");
        driver.findElement(By.id("signup-submit")).click();
        browser.heading("Check your mailbox");
        // The stack's outbox holds the mail (the launcher prints it too); open its link and confirm the password.
        driver.get(portal + "#verify/" + PortalDeveloper.verificationToken(config, email));
        browser.heading("Confirm your account");
        driver.findElement(By.id("password")).sendKeys("a-long-journey-passphrase");
        driver.findElement(By.id("verify-submit")).click();
        browser.heading("My applications");
        page("02-my-apps-empty");

        driver.findElement(By.linkText("New app")).click();
        browser.heading("Register an application");
        driver.findElement(By.id("name")).sendKeys("Journey weather");
        new Select(driver.findElement(By.id("type"))).selectByValue("public");
        page("03-new-app");
        driver.findElement(By.id("create-app")).click();
        String clientId = browser.await().until(ExpectedConditions.visibilityOfElementLocated(By.id("client-id"))).getText();
        assertThat(clientId).matches("journey-weather-[a-z0-9]{6}");
        assertThat(driver.findElements(By.id("client-secret"))).as("a public app has no secret").isEmpty();
        // a new app has the browser grants; the mobile app below logs in with the password grant, so allow it
        assertThat(driver.findElement(By.id("grant-types")).getText()).isEqualTo("authorization_code refresh_token");
        assertThat(driver.findElement(By.id("grant-client_credentials")).isEnabled())
                .as("a public app cannot choose client credentials").isFalse();
        driver.findElement(By.id("grant-password")).click();
        driver.findElement(By.id("save-grants")).click();
        browser.await().until(ExpectedConditions.textToBe(By.id("grant-types"),
                "authorization_code password refresh_token"));

        new Select(driver.findElement(By.id("plan"))).selectByValue("mobile|basic");
        driver.findElement(By.id("subscribe")).click();
        browser.await().until(ExpectedConditions.textToBePresentInElementLocated(By.id("subscriptions"), "APPROVED"));
        page("04-app-subscribed");
        String appPage = driver.getCurrentUrl();

        driver.findElement(By.linkText("APIs & plans")).click();
        browser.heading("APIs & plans");
        assertThat(driver.findElement(By.id("plans")).getText()).contains("Basic", "Premium");
        page("05-plans");

        // The mobile app: alice logs in with the client id read from the page, then N calls through the gateway,
        // all in one minute (the gateway's rate-limit window) so the standing below is exactly N.
        awaitMinuteHeadroom(30);
        Tokens tokens = login(clientId, "alice", "alice-secret");
        String rateLimit = null;
        for (int i = 0; i < CALLS; i++) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + config.host + ":"
                            + config.port("gateway") + "/mobile/journey/" + i))
                    .header("Authorization", "Bearer " + tokens.getAccessToken().getValue()).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("call %d: %s", i, answer.body()).isEqualTo(200);
            assertThat(Json.mapper().readTree(answer.body()).path("headers").path("x-credential-identifier").asText())
                    .isEqualTo(clientId);
            rateLimit = answer.headers().firstValue("RateLimit").orElseThrow();
        }
        Matcher remaining = Pattern.compile("\"minute\";r=(\\d+)").matcher(rateLimit);
        assertThat(remaining.find()).as(rateLimit).isTrue();
        assertThat(Integer.parseInt(remaining.group(1))).as("the gateway counted the calls").isEqualTo(60 - CALLS);

        // Back in the portal: the chart of the mobile API shows the N calls once revocation-stream has counted them.
        long called = System.nanoTime();
        driver.get(appPage);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!chartTotal().equals(Integer.toString(CALLS)) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            driver.navigate().refresh();
        }
        System.out.printf("portal chart showed the %d calls %d ms after the last one%n", CALLS,
                Duration.ofNanos(System.nanoTime() - called).toMillis());
        WebElement chart = driver.findElement(By.cssSelector("#usage svg.chart"));
        assertThat(chart.getAttribute("data-total")).as("the mobile API's calls in the last 60 minutes").isEqualTo("7");
        assertThat(chart.getAttribute("data-api")).isEqualTo("mobile");
        assertThat(chart.getAttribute("data-window")).isEqualTo("m");
        List<WebElement> bars = chart.findElements(By.tagName("rect"));
        assertThat(bars).hasSize(60);
        assertThat(bars).extracting(b -> Integer.parseInt(b.getAttribute("data-calls")))
                .as("one minute with all N calls, the others empty").containsOnly(0, CALLS)
                .filteredOn(n -> n == CALLS).hasSize(1);
        assertThat(bars.get(bars.size() - 1).getAttribute("data-calls")).as("the current minute").isEqualTo("7");
        assertThat(driver.findElement(By.id("usage")).getText()).contains("mobile API · Last 60 minutes · total 7 calls");

        WebElement standing = driver.findElement(By.cssSelector("#rate-limits tr[data-api='mobile'][data-window='m']"));
        assertThat(standing.getText()).contains("mobile · basic", "this minute", "alice 7 / 60");
        assertThat(standing.findElement(By.cssSelector("li[data-user='alice']")).getAttribute("data-calls")).isEqualTo("7");
        browser.script("document.getElementById('usage').scrollIntoView()");
        page("06-app-usage");

        new Select(driver.findElement(By.id("usage-window"))).selectByValue("h");
        assertThat(chartTotal()).as("this hour").isEqualTo("7");
        new Select(driver.findElement(By.id("usage-window"))).selectByValue("d");
        assertThat(chartTotal()).as("today").isEqualTo("7");
        new Select(driver.findElement(By.id("usage-api"))).selectByValue("*");
        assertThat(driver.findElement(By.cssSelector("#usage svg.chart")).getAttribute("data-api")).isEqualTo("*");
        assertThat(chartTotal()).as("all APIs, from the per-user counts").isEqualTo("7");
        page("07-app-usage-all-apis-day");

        driver.findElement(By.linkText("My apps")).click();
        browser.await().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".app-client-id"), clientId));
        page("08-my-apps");

        driver.findElement(By.id("logout")).click();
        browser.heading("Log in");
        page("09-login");
        driver.findElement(By.id("email")).sendKeys("ops");
        driver.findElement(By.id("password")).sendKeys("ops-secret");
        driver.findElement(By.id("login-submit")).click();
        browser.heading("My applications");
        driver.findElement(By.linkText("Approvals")).click();
        browser.heading("Pending subscriptions");
        page("10-admin-approvals");

        assertThat(pagesChecked).hasSize(10);
        // The check itself can fail: a 600 px wide element makes the page wider than the phone.
        browser.script("document.getElementById('main').append(Object.assign(document.createElement('div'),"
                + " {style: 'width: 600px; height: 1px'}))");
        assertThat(browser.horizontalOverflow().overflows()).isTrue();
    }

    private static String chartTotal() {
        List<WebElement> charts = driver.findElements(By.cssSelector("#usage svg.chart"));
        return charts.isEmpty() ? "" : charts.get(0).getAttribute("data-total");
    }

    private static Tokens login(String clientId, String user, String password) throws Exception {
        TokenResponse response = TokenResponse.parse(new TokenRequest(URI.create(config.issuer() + "/oauth2/token"),
                new ClientID(clientId), new ResourceOwnerPasswordCredentialsGrant(user, new Secret(password)))
                .toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as("%s logs in with the portal's client id", user).isTrue();
        return response.toSuccessResponse().getTokens();
    }

    /** Waits for the next minute when fewer than {@code seconds} are left in this one. */
    private static void awaitMinuteHeadroom(int seconds) throws InterruptedException {
        long now = Instant.now().getEpochSecond();
        long left = 60 - now % 60;
        if (left < seconds) {
            System.out.printf("waiting %d s for a fresh rate-limit minute%n", left);
            Thread.sleep(left * 1000 + 200);
        }
    }
}
