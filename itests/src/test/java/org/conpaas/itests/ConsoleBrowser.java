package org.conpaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browsers of one group of console steps (Debian's headless Chromium through its chromedriver), and what every
 * step does with them: log in, wait for what the page shows, take screenshots, read the errors the page logged.
 * Closing it quits every browser it opened.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    /** Long enough for a service to start its nodes on a busy 2-core machine; every wait is bounded by it. */
    static final Duration SETTLE = Duration.ofSeconds(120);

    private final Path screenshots;
    private final List<WebDriver> drivers = new ArrayList<>();

    ConsoleBrowser(Path screenshots) {
        this.screenshots = screenshots;
    }

    /** A missing browser fails the test (it is a declared build dependency, tools/os-packages.sh). */
    static void requireChromium() {
        assertTrue("Chromium is missing (tools/os-packages.sh install frontend)", new File(CHROMIUM).canExecute());
        assertTrue("chromedriver is missing (tools/os-packages.sh install frontend)",
                new File(CHROMEDRIVER).canExecute());
    }

    /** A desktop-sized browser with its own profile (so its own cookies: one user per browser). */
    WebDriver open() throws IOException {
        return open(null);
    }

    /**
     * A browser that lays pages out as a phone of 390x844 CSS pixels does (Chromium's mobile emulation: the
     * viewport meta tag applies, touch, a device pixel ratio of 3).
     */
    WebDriver openPhone() throws IOException {
        return open(Map.of("deviceMetrics", Map.of("width", 390, "height", 844, "pixelRatio", 3.0)));
    }

    private WebDriver open(Map<String, Object> mobileEmulation) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        Path profile = Files.createTempDirectory("console-it-chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1400", "--user-data-dir=" + profile, "--no-first-run",
                "--disable-background-networking", "--disable-component-update");
        if (mobileEmulation != null) {
            options.setExperimentalOption("mobileEmulation", mobileEmulation);
        }
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        drivers.add(driver);
        return driver;
    }

    /** Quits every browser opened here; safe to call twice. */
    @Override
    public void close() {
        for (WebDriver driver : drivers) {
            try {
                driver.quit();
            } catch (RuntimeException e) {
                System.err.println("ConsoleBrowser: quitting a browser failed: " + e);
            }
        }
        drivers.clear();
    }

    /** A screenshot of every open browser, as {@code <name>-<n>.png} (what the pages showed when a step failed). */
    void screenshotAll(String name) {
        for (int i = 0; i < drivers.size(); i++) {
            try {
                screenshot(drivers.get(i), name + "-" + (i + 1));
            } catch (IOException | RuntimeException e) {
                System.err.println("ConsoleBrowser: no screenshot of browser " + (i + 1) + ": " + e);
            }
        }
    }

    void screenshot(WebDriver browser, String name) throws IOException {
        Files.write(screenshots.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    // ------------------------------------------------------------------------------------------ page actions

    /** Fills the login form and submits it with its button. */
    static void login(WebDriver browser, String user, String password) {
        waitFor(browser, d -> !d.findElements(By.id("login-username")).isEmpty());
        type(browser.findElement(By.id("login-username")), user);
        type(browser.findElement(By.id("login-password")), password);
        browser.findElement(By.id("login-submit")).click();
    }

    /** Logs in and waits for the page to name the user. */
    static void loginAs(WebDriver browser, String user, String password) {
        login(browser, user, password);
        waitFor(browser, d -> user.equals(d.findElement(By.id("username")).getText()));
    }

    /** Replaces what a field holds. */
    static void type(WebElement field, String text) {
        field.clear();
        field.sendKeys(text);
    }

    static void waitFor(WebDriver browser, Function<WebDriver, Boolean> condition) {
        waitFor(browser, SETTLE, condition);
    }

    /** Waits (bounded) until the condition holds; elements that are missing or replaced meanwhile mean "not yet". */
    static void waitFor(WebDriver browser, Duration timeout, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, timeout).ignoring(StaleElementReferenceException.class)
                .ignoring(NoSuchElementException.class).until(condition::apply);
    }

    /** Waits until the service page shows the state; an ERROR fails at once with the reason the page gives. */
    static void waitForState(WebDriver browser, String state) {
        new WebDriverWait(browser, SETTLE).ignoring(StaleElementReferenceException.class).until(d -> {
            String shown = d.findElement(By.id("service-state")).getText();
            if ("ERROR".equals(shown)) {
                throw new AssertionError("service ERROR: " + d.findElement(By.id("service-progress")).getText());
            }
            return state.equals(shown);
        });
    }

    static Object script(WebDriver browser, String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /**
     * Marks the page's window; {@link #sameWindow} tells later whether it is still the same page (nothing reloaded
     * it: what changed was drawn by the page's own refresh).
     */
    static void markWindow(WebDriver browser) {
        script(browser, "window.consoleItMark = 'not reloaded';");
    }

    static boolean sameWindow(WebDriver browser) {
        return "not reloaded".equals(script(browser, "return window.consoleItMark || null;"));
    }

    // ------------------------------------------------------------------------------------------ console errors

    /** The page logged no error (no failed request, no script error, no CSP violation) since the last look. */
    static void assertNoConsoleErrors(WebDriver browser, String where) {
        assertEquals("console errors on the " + where, List.of(), consoleErrors(browser));
    }

    /** The errors the page logged since the last look (reading them empties the browser's log). */
    static List<String> consoleErrors(WebDriver browser) {
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(entry.getMessage());
            }
        }
        return errors;
    }
}
