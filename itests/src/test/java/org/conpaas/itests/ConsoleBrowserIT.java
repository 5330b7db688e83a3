package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.conpaas.itests.DirectorTestSupport.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import org.conpaas.itests.DirectorTestSupport.Api;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser (Debian's headless Chromium driven through chromedriver by Selenium) against the
 * real distribution started as a separate process: what a user does, seen as a user sees it. Screenshots of the
 * main pages go to target/console-screenshots.
 */
public class ConsoleBrowserIT {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Duration BOOT = Duration.ofSeconds(150);
    private static final Duration SETTLE = Duration.ofSeconds(120);

    private final List<WebDriver> browsers = new ArrayList<>();
    private Path screenshots;

    @Test
    public void aUserRunsServicesFromTheConsole() throws Exception {
        assertTrue("Chromium is missing (tools/os-packages.sh install frontend)", new File(CHROMIUM).canExecute());
        assertTrue("chromedriver is missing (tools/os-packages.sh install frontend)", new File(CHROMEDRIVER).canExecute());
        screenshots = Files.createDirectories(Paths.get(System.getProperty("conpaas.itest.dir", "target"))
                .resolve("console-screenshots"));
        DistributionProcess director = DistributionProcess.unpack("console-it");
        // samples every 2 s, so the chart has points soon
        director.configure("org.conpaas.director.cfg", "loadSamplePeriodSeconds", "2");
        Api admin = new Api(director.httpPort, director.home.resolve("data"));
        long appId = -1;
        boolean passed = false;
        HttpServer attacker = null;
        try {
            director.start();
            eventually("REST API up", BOOT, admin::isUp);
            admin.post("/users", json("username", "alice", "email", "alice@example.org", "password", "alice-pass-1"))
                    .ok();
            admin.post("/users", json("username", "mallory", "email", "m@example.org", "password", "mallory-pass-1"))
                    .ok();
            String console = "http://127.0.0.1:" + director.httpPort + "/console/";
            Api aliceApi = admin.as("alice", "alice-pass-1");

            WebDriver alice = browser();
            alice.get(console);
            // a wrong password is refused, and says so
            login(alice, "alice", "wrong-password");
            waitFor(alice, d -> d.findElement(By.cssSelector(".messages .error")).getText()
                    .contains("invalid username or password"));
            assertTrue(alice.findElements(By.id("username")).isEmpty());
            assertEquals("the refused login is the only failed request", 1, consoleErrors(alice).size());
            login(alice, "alice", "alice-pass-1");
            waitFor(alice, d -> "alice".equals(d.findElement(By.id("username")).getText()));

            // create an application and start it
            alice.findElement(By.id("new-app-name")).sendKeys("shop");
            alice.findElement(By.id("new-app-submit")).click();
            // the URL changes before the page has drawn the application (it fetches it first)
            waitFor(alice, d -> d.getCurrentUrl().contains("#/app/") && !d.findElements(By.id("app-start")).isEmpty());
            appId = Long.parseLong(alice.getCurrentUrl().replaceAll(".*#/app/", ""));
            alice.findElement(By.id("app-start")).click();
            waitFor(alice, d -> "RUNNING".equals(d.findElement(By.cssSelector("h1 .state")).getText()));

            // add a helloworld service and start it
            String hello = addService(alice, "helloworld", "hello");
            alice.findElement(By.id("service-start")).click();
            waitForState(alice, "RUNNING");
            waitFor(alice, d -> nodeRows(d) == 1);

            // two more nodes appear without reloading the page
            WebElement count = alice.findElement(By.id("count-node"));
            count.clear();
            count.sendKeys("2");
            alice.findElement(By.cssSelector("button.add-nodes[data-role='node']")).click();
            waitFor(alice, d -> nodeRows(d) == 3 && d.findElements(By.cssSelector(".nodes-table .state-running")).size() == 3);
            waitForState(alice, "RUNNING");

            // the type's operation, from its generated form: one line per node
            WebElement operation = alice.findElement(By.cssSelector("details.operation[data-operation='get_helloworld']"));
            if (operation.getAttribute("open") == null) {
                operation.findElement(By.tagName("summary")).click();
            }
            operation.findElement(By.cssSelector("button.run")).click();
            waitFor(alice, d -> helloLines(d) == 3);

            // the load chart has data
            waitFor(alice, d -> Integer.parseInt(d.findElement(By.id("memory-chart")).getAttribute("data-points")) >= 1
                    && !d.findElements(By.cssSelector("#memory-chart canvas")).isEmpty());
            screenshot(alice, "service");
            assertNoConsoleErrors(alice, "helloworld pages");

            // a PHP service: upload a code version, activate it, open the service's URL
            alice.get(console + "#/app/" + appId);
            waitFor(alice, d -> !d.findElements(By.id("new-service-type")).isEmpty());
            addService(alice, "php", "web");
            alice.findElement(By.id("service-start")).click();
            waitForState(alice, "RUNNING");
            Path archive = phpArchive();
            alice.findElement(By.id("code-file")).sendKeys(archive.toString());
            alice.findElement(By.id("code-description")).sendKeys("console test");
            alice.findElement(By.id("code-upload")).click();
            // the uploaded version's row (the service's default version is the active one until then)
            By uploaded = By.xpath("//table[@id='code-table']//tr[contains(., 'console test')]");
            waitFor(alice, d -> !d.findElements(uploaded).isEmpty());
            alice.findElement(uploaded).findElement(By.cssSelector("button.activate-code")).click();
            waitFor(alice, d -> d.findElement(uploaded).findElements(By.cssSelector("button.activate-code")).isEmpty()
                    && d.findElement(uploaded).getText().contains("active"));
            waitForState(alice, "RUNNING");
            String url = alice.findElement(By.id("service-link")).getAttribute("href");
            screenshot(alice, "php-service");
            assertNoConsoleErrors(alice, "php pages");
            alice.get(url + "console.php");
            waitFor(alice, d -> {
                if (d.getPageSource().contains("console says 42")) {
                    return true;
                }
                d.navigate().refresh();
                return false;
            });

            consoleErrors(alice); // the user's own site (its missing favicon.ico, say) is not the console's business

            // the dashboard lists both services
            alice.get(console);
            waitFor(alice, d -> d.findElements(By.cssSelector("#applications .services li")).size() == 2);
            screenshot(alice, "dashboard");
            assertNoConsoleErrors(alice, "dashboard");

            // the API reference: Swagger UI, served by the bundle, over the director's OpenAPI document
            alice.get(console + "api");
            waitFor(alice, d -> d.findElements(By.cssSelector(".swagger-ui .opblock")).size() > 30);
            screenshot(alice, "api");
            assertNoConsoleErrors(alice, "API page");

            // a cross-origin form post with alice's cookie is refused: no CSRF token
            attacker = attackerPage(director.httpPort);
            alice.get("http://127.0.0.1:" + attacker.getAddress().getPort() + "/");
            waitFor(alice, d -> d.getPageSource().contains("X-CSRF-Token"));
            for (JsonNode app : aliceApi.get("/applications").ok()) {
                assertFalse("the forged post created nothing", app.path("name").asText().startsWith("forged"));
            }

            // log out: the login page again
            alice.get(console);
            waitFor(alice, d -> !d.findElements(By.id("logout")).isEmpty());
            alice.findElement(By.id("logout")).click();
            waitFor(alice, d -> !d.findElements(By.id("login-form")).isEmpty());

            // another user sees nothing of alice's application
            WebDriver mallory = browser();
            mallory.get(console);
            login(mallory, "mallory", "mallory-pass-1");
            waitFor(mallory, d -> "mallory".equals(d.findElement(By.id("username")).getText()));
            mallory.get(console + "#/app/" + appId);
            waitFor(mallory, d -> d.findElement(By.tagName("h1")).getText().equals("Not found"));
            mallory.get(console + "#/");
            waitFor(mallory, d -> d.findElement(By.tagName("h1")).getText().equals("Applications"));
            mallory.get(console + "#/app/" + appId + "/service/" + hello);
            waitFor(mallory, d -> d.findElement(By.tagName("h1")).getText().equals("Not found"));
            assertTrue(mallory.findElement(By.cssSelector("main .error")).getText().contains("not found"));
            assertFalse(mallory.getPageSource().contains("shop"));
            mallory.get("http://127.0.0.1:" + director.httpPort + "/api/v1/applications/" + appId);
            assertTrue(mallory.getPageSource(), mallory.getPageSource().contains("404"));
            assertFalse(mallory.getPageSource().contains("shop"));
            mallory.get("http://127.0.0.1:" + director.httpPort + "/api/v1/applications");
            assertFalse(mallory.getPageSource().contains("shop"));

            // an expired session is refused
            director.configure("org.conpaas.director.cfg", "sessionIdleSeconds", "2");
            eventually("the session expires", Duration.ofSeconds(30), () -> {
                Thread.sleep(3000);
                mallory.get("http://127.0.0.1:" + director.httpPort + "/api/v1/applications");
                return mallory.getPageSource().contains("your session has expired");
            });
            mallory.get(console);
            waitFor(mallory, d -> !d.findElements(By.id("login-form")).isEmpty());
            passed = true;
        } finally {
            for (WebDriver browser : browsers) {
                browser.quit();
            }
            if (attacker != null) {
                attacker.stop(0);
            }
            try {
                director.stop();
            } finally {
                if (appId >= 0) {
                    List<Long> pids = new ArrayList<>();
                    DirectorTestSupport.agentProcesses(appId, director.home).forEach(p -> pids.add(p.pid()));
                    DirectorTestSupport.killAll(pids);
                }
                if (passed) {
                    director.delete();
                }
            }
        }
    }

    private WebDriver browser() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        Path profile = Files.createTempDirectory("console-it-chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1400", "--user-data-dir=" + profile, "--no-first-run",
                "--disable-background-networking", "--disable-component-update");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        browsers.add(driver);
        return driver;
    }

    private static void login(WebDriver browser, String user, String password) {
        waitFor(browser, d -> !d.findElements(By.id("login-username")).isEmpty());
        WebElement name = browser.findElement(By.id("login-username"));
        name.clear();
        name.sendKeys(user);
        WebElement secret = browser.findElement(By.id("login-password"));
        secret.clear();
        secret.sendKeys(password);
        browser.findElement(By.id("login-submit")).click();
    }

    /** Adds a service on the application page; returns its id, from the service page it leads to. */
    private static String addService(WebDriver browser, String type, String name) {
        waitFor(browser, d -> d.findElements(By.cssSelector("#new-service-type option[value='" + type + "']")).size() == 1);
        new Select(browser.findElement(By.id("new-service-type"))).selectByValue(type);
        browser.findElement(By.id("new-service-name")).sendKeys(name);
        browser.findElement(By.id("new-service-submit")).click();
        waitFor(browser, d -> d.getCurrentUrl().contains("/service/") && !d.findElements(By.id("service-start")).isEmpty());
        return browser.getCurrentUrl().replaceAll(".*/service/", "");
    }

    private static void waitForState(WebDriver browser, String state) {
        new WebDriverWait(browser, SETTLE).until(d -> {
            String shown = d.findElement(By.id("service-state")).getText();
            if ("ERROR".equals(shown)) {
                throw new AssertionError("service ERROR: " + d.findElement(By.id("service-progress")).getText());
            }
            return state.equals(shown);
        });
    }

    private static <T> void waitFor(WebDriver browser, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, SETTLE).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class).until(condition::apply);
    }

    private static int nodeRows(WebDriver d) {
        return d.findElements(By.cssSelector(".nodes-table tbody tr")).size();
    }

    private static int helloLines(WebDriver d) {
        int lines = 0;
        for (WebElement result : d.findElements(By.cssSelector("details[data-operation='get_helloworld'] .text-result"))) {
            for (String line : result.getText().split("\n")) {
                if (line.contains("Received helloworld from")) {
                    lines++;
                }
            }
        }
        return lines;
    }

    private void screenshot(WebDriver browser, String name) throws IOException {
        Files.write(screenshots.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** The page logged no error (no failed request, no script error, no CSP violation) since the last look. */
    private static void assertNoConsoleErrors(WebDriver browser, String where) {
        assertEquals("console errors on the " + where, List.of(), consoleErrors(browser));
    }

    /** The errors the page logged since the last look (reading them empties the browser's log). */
    private static List<String> consoleErrors(WebDriver browser) {
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(entry.getMessage());
            }
        }
        return errors;
    }

    /** A zip with one PHP page. */
    private static Path phpArchive() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("console.php"));
            zip.write("<?php echo 'console says ' . (40 + 2);\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        Path file = Files.createTempFile("console-it", ".zip");
        Files.write(file, bytes.toByteArray());
        file.toFile().deleteOnExit();
        return file;
    }

    /**
     * Another origin (another port of 127.0.0.1, which browsers count as the same site, so SameSite lets the cookie
     * go) whose page posts a form to the API at once: the classic CSRF.
     */
    private static HttpServer attackerPage(int directorPort) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String page = "<!doctype html><html><body><form id=f method=post enctype=text/plain action="
                + "'http://127.0.0.1:" + directorPort + "/api/v1/applications'>"
                + "<input type=hidden name='{\"name\":\"forged\",\"x\":\"' value='\"}'></form>"
                + "<script>document.getElementById('f').submit()</script></body></html>";
        server.createContext("/", exchange -> {
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

}
