package io.tollgate.tokenapi.portal;

import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.testkit.HeadlessChromium;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import redis.clients.jedis.Jedis;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal UI in headless Chromium (Debian's {@code chromium} + {@code chromium-driver}; Selenium Manager is never
 * asked to download anything): sign up, open the verification link from the outbox, register an app, subscribe it
 * to {@code mobile} on {@code basic}, read the
 * client id from the page, then a password grant with it; an operator approves a pending subscription. A
 * phone-sized window (390 x 844): every page is screenshot into {@code target/portal-screenshots/} and must not
 * be wider than the window. The same journey against the whole stack, with real calls through the gateway, is
 * ops' {@code PortalJourneyIT}.
 */
class PortalBrowserIT {
    static final Path SHOTS = Path.of("target/portal-screenshots");
    static final SubscriptionRecord PENDING = new SubscriptionRecord("sub-demo-mobile-premium-wait", DemoRegistry.APPLICATION_ID,
            DemoRegistry.CLIENT_ID, "reports", "reports-gold", SubscriptionRecord.Status.PENDING,
            Instant.parse("2026-01-02T00:00:00Z"));

    /**
     * A plan with a refresh reuse interval, a session lifetime, an app-wide limit and a monthly quota, which the plans
     * page and the app page show.
     */
    static final PlanRecord RETRY = new PlanRecord("mobile-retry", "mobile", "Mobile retry", Set.of("read"), 60, 0, 0,
            3, false, DemoRegistry.GRANT_TYPES, 20, 3_600, 500, 100_000, null);

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("portal-browser-it").registry(PENDING, RETRY)
            .build();
    static final String BASE = STACK.baseUrl();

    static HeadlessChromium browser;
    static WebDriver driver;
    static WebDriverWait wait;

    @BeforeAll
    static void startBrowser() {
        browser = HeadlessChromium.start(HeadlessChromium.PHONE, SHOTS);
        driver = browser.driver();
        wait = browser.await();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /** A screenshot of the page, which must fit the phone's width (no horizontal scrolling). */
    static void shot(String name) {
        browser.shot(name);
        HeadlessChromium.Overflow overflow = browser.horizontalOverflow();
        assertThat(overflow.overflows()).as(name + ": " + overflow).isFalse();
    }

    static void heading(String text) {
        browser.heading(text);
    }

    @Test
    void aDeveloperSignsUpRegistersAnAppSubscribesAndItsClientIdGetsTokens() {
        driver.get(BASE + "/portal/#signup");
        heading("Create a developer account");
        driver.findElement(By.id("email")).sendKeys("bea@example.test");
        driver.findElement(By.id("password")).sendKeys("bea-portal-pass");
        shot("01-signup");
        driver.findElement(By.id("signup-submit")).click();
        heading("Check your mailbox");
        assertThat(driver.findElement(By.id("check-mail")).getText()).contains("bea@example.test");
        shot("01b-check-mail");
        // The link of the mail the local stack's outbox holds (the local stack also prints it on the console).
        String token = STACK.outbox().awaitToken("bea@example.test");
        driver.get(BASE + "/portal/#verify/" + token);
        heading("Confirm your account");
        driver.findElement(By.id("password")).sendKeys("bea-portal-pass");
        shot("01c-verify");
        driver.findElement(By.id("verify-submit")).click();
        heading("My applications");
        shot("02-my-apps-empty");

        driver.findElement(By.linkText("New app")).click();
        heading("Register an application");
        driver.findElement(By.id("name")).sendKeys("Bea's mobile app");
        new Select(driver.findElement(By.id("type"))).selectByValue("public");
        shot("03-new-app");
        driver.findElement(By.id("create-app")).click();
        String clientId = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("client-id"))).getText();
        assertThat(clientId).matches("bea-s-mobile-app-[a-z0-9]{6}");
        assertThat(driver.findElements(By.id("client-secret"))).isEmpty();
        // the password grant is the developer's choice: tick it in the Grants card
        assertThat(driver.findElement(By.id("grant-types")).getText()).isEqualTo("authorization_code refresh_token");
        assertThat(driver.findElement(By.id("grant-client_credentials")).isEnabled()).isFalse();
        driver.findElement(By.id("grant-password")).click();
        driver.findElement(By.id("save-grants")).click();
        wait.until(ExpectedConditions.textToBe(By.id("grant-types"), "authorization_code password refresh_token"));

        new Select(driver.findElement(By.id("plan"))).selectByValue("mobile|basic");
        driver.findElement(By.id("subscribe")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("subscriptions"), "APPROVED"));
        assertThat(driver.findElement(By.id("subscriptions")).getText()).contains("mobile").contains("basic");
        assertThat(driver.findElement(By.id("usage")).findElements(By.cssSelector("svg.chart rect"))).hasSize(60);
        // Seed revocation-stream's usage counts for two users over the last minutes, then reload the page.
        long minute = RedisKeys.Window.MINUTE.start(Instant.now().getEpochSecond());
        try (Jedis jedis = STACK.redis().jedis()) {
            for (int i = 0; i < 30; i++) {
                jedis.set(RedisKeys.usage(clientId, "alice", RedisKeys.Window.MINUTE, minute - 60L * i),
                        Integer.toString(10 + (i * 7) % 25));
                jedis.set(RedisKeys.usage(clientId, "bob", RedisKeys.Window.MINUTE, minute - 60L * i), "5");
                jedis.set(RedisKeys.apiUsage(clientId, "mobile", RedisKeys.Window.MINUTE, minute - 60L * i),
                        Integer.toString(10 + (i * 7) % 25 + 5));
            }
        }
        driver.navigate().refresh();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("usage"), "total"));
        long expected = 0;
        for (int i = 0; i < 30; i++) {
            expected += 10 + (i * 7) % 25 + 5;
        }
        assertThat(driver.findElement(By.id("usage")).getText()).contains("mobile API")
                .contains("total " + expected + " calls").contains("alice 10 / 60");
        assertThat(driver.findElement(By.cssSelector("#usage svg.chart")).getAttribute("data-total"))
                .isEqualTo(Long.toString(expected));
        new Select(driver.findElement(By.id("usage-api"))).selectByValue("*");
        assertThat(driver.findElement(By.id("usage")).getText()).contains("All APIs").contains("total " + expected + " calls");
        assertThat(driver.findElement(By.id("nav")).getText()).doesNotContain("null").doesNotContain("Approvals");
        shot("04-app-detail");
        browser.script("document.getElementById('usage').scrollIntoView()");
        shot("04b-app-usage");
        assertThat(driver.findElement(By.id("client-id")).getText()).isEqualTo(clientId);

        PortalClient.Answer grant = PortalIT.passwordGrantAt(BASE, clientId);
        assertThat(grant.status()).isEqualTo(200);
        assertThat(grant.text("token_type")).isEqualTo("Bearer");

        driver.findElement(By.linkText("APIs & plans")).click();
        heading("APIs & plans");
        assertThat(driver.findElement(By.id("plans")).getText()).contains("Basic").contains("Premium");
        // optional columns, hidden at phone width: their text is read, not their rendering
        assertThat(driver.findElement(By.cssSelector("tr[data-plan='mobile-retry'] td[data-refresh-reuse]"))
                .getAttribute("textContent")).isEqualTo("20 s");
        assertThat(driver.findElement(By.cssSelector("tr[data-plan='mobile-retry'] td[data-session-lifetime]"))
                .getAttribute("textContent")).isEqualTo("3600 s");
        assertThat(driver.findElement(By.cssSelector("tr[data-plan='basic'] td[data-refresh-reuse]"))
                .getAttribute("textContent")).isEqualTo("off");
        // the limits of the whole app (all its users together) only where the plan sets them
        assertThat(driver.findElement(By.cssSelector("tr[data-plan='mobile-retry'] [data-app-limits]")).getText())
                .isEqualTo("whole app: 500 / min · 100000 / month");
        assertThat(driver.findElements(By.cssSelector("tr[data-plan='basic'] [data-app-limits]"))).isEmpty();
        shot("05-plans");
        driver.findElement(By.linkText("My apps")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".app-client-id"), clientId));
        // switching the app to that plan shows its app-wide limits on the app page
        driver.findElement(By.cssSelector(".app-client-id")).click();
        new Select(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("plan"))))
                .selectByValue("mobile|mobile-retry");
        driver.findElement(By.id("subscribe")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("subscriptions"), "mobile-retry"));
        assertThat(driver.findElement(By.cssSelector("#subscriptions tr[data-api='mobile'] [data-app-limits]"))
                .getText()).isEqualTo("whole app: 500 / min · 100000 / month");
        driver.findElement(By.linkText("My apps")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".app-client-id"), clientId));
        shot("06-my-apps");

        driver.findElement(By.id("logout")).click();
        heading("Log in");
        shot("07-login");

        // An operator logs in to the portal and approves the pending subscription.
        driver.findElement(By.id("email")).sendKeys("ops");
        driver.findElement(By.id("password")).sendKeys("ops-secret");
        driver.findElement(By.id("login-submit")).click();
        heading("My applications");
        driver.findElement(By.linkText("Approvals")).click();
        heading("Pending subscriptions");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pending"), DemoRegistry.CLIENT_ID));
        shot("08-admin-approvals");
        driver.findElement(By.xpath("//table[@id='pending']//button[text()='Approve']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Nothing to approve."));
        shot("09-admin-approved");
    }
}
