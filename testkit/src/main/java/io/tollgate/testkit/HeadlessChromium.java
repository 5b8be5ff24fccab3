package io.tollgate.testkit;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * Debian's headless Chromium ({@code chromium} + {@code chromium-driver}) driven by Selenium, for browser tests.
 * Selenium Manager is never asked to download a browser or a driver: both binaries are given explicitly, and
 * without them the test fails with the install command. The window has a fixed size (a phone's, by default),
 * screenshots go to one directory, and {@link #horizontalOverflow()} tells whether a page is wider than the
 * window (the check for "usable on a phone-sized screen").
 */
public final class HeadlessChromium implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** An iPhone 12-15's CSS viewport. */
    public static final Dimension PHONE = new Dimension(390, 844);

    private final WebDriver driver;
    private final WebDriverWait wait;
    private final Path shots;

    private HeadlessChromium(WebDriver driver, Path shots) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        this.shots = shots;
    }

    /** Starts Chromium with a window of {@code size}; screenshots are written to {@code shots}. */
    public static HeadlessChromium start(Dimension size, Path shots) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("Browser tests need Debian's headless Chromium: "
                    + "apt-get install -y chromium chromium-driver (expects " + CHROMIUM + " and " + CHROMEDRIVER + ")");
        }
        try {
            Files.createDirectories(shots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--hide-scrollbars", "--window-size=" + size.getWidth() + "," + size.getHeight());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(size);
        return new HeadlessChromium(driver, shots);
    }

    public WebDriver driver() {
        return driver;
    }

    public WebDriverWait await() {
        return wait;
    }

    /** Waits until the page's {@code h1} contains {@code text}. */
    public void heading(String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), text));
    }

    /** Saves a PNG of the current viewport as {@code <shots>/<name>.png} and returns its path. */
    public Path shot(String name) {
        File file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path target = shots.resolve(name + ".png");
        try {
            Files.copy(file.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    public Object script(String javascript, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(javascript, args);
    }

    /**
     * How far the page is wider than the window, in CSS pixels: 0 when {@code scrollWidth <= innerWidth}.
     * Also names the widest elements that stick out, so a failure says what to fix.
     */
    public Overflow horizontalOverflow() {
        @SuppressWarnings("unchecked")
        List<Object> result = (List<Object>) script("""
                const inner = window.innerWidth, scroll = document.documentElement.scrollWidth;
                const culprits = [...document.querySelectorAll('body *')]
                  .filter(e => e.getBoundingClientRect().right > inner + 0.5)
                  .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                    + (e.className && e.className.baseVal === undefined && e.className ? '.' + e.className : '')
                    + ' right=' + Math.round(e.getBoundingClientRect().right));
                return [inner, scroll, culprits.join(', ')];
                """);
        long inner = ((Number) result.get(0)).longValue();
        long scroll = ((Number) result.get(1)).longValue();
        return new Overflow(inner, scroll, String.valueOf(result.get(2)));
    }

    /** {@code document.documentElement.scrollWidth} against {@code window.innerWidth}. */
    public record Overflow(long innerWidth, long scrollWidth, String widestElements) {
        public boolean overflows() {
            return scrollWidth > innerWidth;
        }

        @Override
        public String toString() {
            return "scrollWidth " + scrollWidth + " > innerWidth " + innerWidth + " (sticking out: " + widestElements + ")";
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
