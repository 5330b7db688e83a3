package org.conpaas.itests;

import static org.conpaas.itests.ConsoleBrowser.assertNoConsoleErrors;
import static org.conpaas.itests.ConsoleBrowser.consoleErrors;
import static org.conpaas.itests.ConsoleBrowser.login;
import static org.conpaas.itests.ConsoleBrowser.loginAs;
import static org.conpaas.itests.ConsoleBrowser.markWindow;
import static org.conpaas.itests.ConsoleBrowser.sameWindow;
import static org.conpaas.itests.ConsoleBrowser.script;
import static org.conpaas.itests.ConsoleBrowser.waitFor;
import static org.conpaas.itests.ConsoleBrowser.waitForState;
import static org.conpaas.itests.ConsoleBrowserIT.ALICE;
import static org.conpaas.itests.ConsoleBrowserIT.ALICE_PASSWORD;
import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.conpaas.itests.DirectorTestSupport.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;

import org.conpaas.itests.DirectorTestSupport.Api;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Alice runs services from the console, step by step in one browser (each step goes on from the page the one before
 * left): she logs in, creates and starts an application, runs a helloworld service whose nodes appear live, runs
 * its operation, sees its load chart, serves uploaded PHP code, follows a node's log, and finds both services on
 * the dashboard and the API reference. Run through {@link ConsoleBrowserIT}, which boots the director.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ConsoleServiceSteps extends ConsoleSteps {

    private static WebDriver alice;
    private static Api aliceApi;

    @BeforeClass
    public static void aliceSApi() {
        aliceApi = ConsoleBrowserIT.as(ALICE, ALICE_PASSWORD);
    }

    @Test
    public void a_aWrongPasswordIsRefusedAndSaysSo() throws IOException {
        alice = browsers.open();
        alice.get(ConsoleBrowserIT.console);
        login(alice, ALICE, "wrong-password");
        waitFor(alice, d -> d.findElement(By.cssSelector(".messages .error")).getText()
                .contains("invalid username or password"));
        assertTrue(alice.findElements(By.id("username")).isEmpty());
        assertEquals("the refused login is the only failed request", 1, consoleErrors(alice).size());
    }

    @Test
    public void b_aliceCreatesAndStartsAnApplication() {
        loginAs(alice, ALICE, ALICE_PASSWORD);
        alice.findElement(By.id("new-app-name")).sendKeys("shop");
        alice.findElement(By.id("new-app-submit")).click();
        // the URL changes before the page has drawn the application (it fetches it first)
        waitFor(alice, d -> d.getCurrentUrl().contains("#/app/") && !d.findElements(By.id("app-start")).isEmpty());
        ConsoleBrowserIT.shopId = ConsoleBrowserIT.created(
                Long.parseLong(alice.getCurrentUrl().replaceAll(".*#/app/", "")));
        alice.findElement(By.id("app-start")).click();
        waitFor(alice, d -> "RUNNING".equals(d.findElement(By.cssSelector("h1 .state")).getText()));
    }

    @Test
    public void c_twoMoreHelloworldNodesAppearWithoutReloading() {
        ConsoleBrowserIT.helloId = addService(alice, "helloworld", "hello");
        alice.findElement(By.id("service-start")).click();
        waitForState(alice, "RUNNING");
        waitFor(alice, d -> nodeRows(d) == 1);

        markWindow(alice);
        WebElement count = alice.findElement(By.id("count-node"));
        count.clear();
        count.sendKeys("2");
        alice.findElement(By.cssSelector("button.add-nodes[data-role='node']")).click();
        waitFor(alice, d -> nodeRows(d) == 3
                && d.findElements(By.cssSelector(".nodes-table .state-running")).size() == 3);
        waitForState(alice, "RUNNING");
        assertTrue("the nodes came without a reload", sameWindow(alice));
    }

    @Test
    public void d_theOperationFormGetsOneLinePerNode() {
        WebElement operation = alice.findElement(By.cssSelector("details.operation[data-operation='get_helloworld']"));
        if (operation.getAttribute("open") == null) {
            operation.findElement(By.tagName("summary")).click();
        }
        operation.findElement(By.cssSelector("button.run")).click();
        waitFor(alice, d -> helloLines(d) == 3);
    }

    @Test
    public void e_theMemoryChartHasPoints() throws IOException {
        waitFor(alice, d -> Integer.parseInt(d.findElement(By.id("memory-chart")).getAttribute("data-points")) >= 1
                && !d.findElements(By.cssSelector("#memory-chart canvas")).isEmpty());
        browsers.screenshot(alice, "service");
        assertNoConsoleErrors(alice, "helloworld pages");
    }

    @Test
    public void f_aPhpServiceServesUploadedCode() throws Exception {
        alice.get(ConsoleBrowserIT.console + "#/app/" + ConsoleBrowserIT.shopId);
        waitFor(alice, d -> !d.findElements(By.id("new-service-type")).isEmpty());
        addService(alice, "php", "web");
        alice.findElement(By.id("service-start")).click();
        waitForState(alice, "RUNNING");
        alice.findElement(By.id("code-file")).sendKeys(phpArchive().toString());
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
        String servicePage = alice.getCurrentUrl();
        browsers.screenshot(alice, "php-service");
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

        // the proxy counted those requests: the type's own chart appears beside CPU and memory, with a rate above 0
        String load = "/applications/" + ConsoleBrowserIT.shopId + "/services/"
                + servicePage.replaceAll(".*/service/", "") + "/load";
        eventually("a requests_per_second sample above 0", Duration.ofSeconds(60), () -> {
            for (JsonNode node : aliceApi.get(load).ok().path("nodes")) {
                for (JsonNode sample : node.path("samples")) {
                    if (sample.path("figures").path("requests_per_second").asDouble() > 0) {
                        return true;
                    }
                }
            }
            return false;
        });
        alice.get(servicePage);
        By requests = By.id("figure-requests_per_second-chart");
        waitFor(alice, d -> !d.findElements(requests).isEmpty()
                && Integer.parseInt(d.findElement(requests).getAttribute("data-points")) >= 1
                && !d.findElement(requests).findElements(By.tagName("canvas")).isEmpty());
        assertNoConsoleErrors(alice, "php service page with its request chart");
    }

    /**
     * A node's log, opened from its row; with "follow" on, lines the agent writes later appear by themselves. The
     * agent logs each code version it stores and activates, so a version activated over REST (not through this
     * page) is the new line to wait for.
     */
    @Test
    public void g_aFollowedNodeLogShowsNewLinesWithoutReloading() throws Exception {
        String service = "/applications/" + ConsoleBrowserIT.shopId + "/services/" + ConsoleBrowserIT.helloId;
        alice.get(ConsoleBrowserIT.console + "#/app/" + ConsoleBrowserIT.shopId + "/service/"
                + ConsoleBrowserIT.helloId);
        waitFor(alice, d -> nodeRows(d) == 3);
        String node = aliceApi.get(service + "/nodes").ok().get(1).path("id").asText();
        alice.findElement(By.cssSelector("button.node-logs[data-node='" + node + "']")).click();
        waitFor(alice, d -> node.equals(new Select(d.findElement(By.id("log-node"))).getFirstSelectedOption()
                .getAttribute("value")) && logText(d).contains("INFO") && logText(d).contains(node));

        markWindow(alice);
        WebElement follow = alice.findElement(By.id("log-follow"));
        follow.click();
        assertTrue(follow.isSelected());
        String version = aliceApi.postFile(service + "/code", "file", "follow.zip", Files.readAllBytes(phpArchive()))
                .ok().path("id").asText();
        assertFalse("a version id", version.isEmpty());
        assertEquals("RUNNING", aliceApi.put(service + "/code/active?wait=90", json("version", version)).ok()
                .path("state").asText());
        waitFor(alice, d -> logText(d).contains("activated code version " + version));
        assertTrue("the new lines came without a reload", sameWindow(alice));
        script(alice, "arguments[0].scrollIntoView({block: 'end'});", alice.findElement(By.id("log-text")));
        browsers.screenshot(alice, "node-log");
        assertNoConsoleErrors(alice, "node log");
    }

    @Test
    public void h_theDashboardListsBothServices() throws IOException {
        alice.get(ConsoleBrowserIT.console);
        waitFor(alice, d -> d.findElements(By.cssSelector("#applications .services li")).size() == 2);
        browsers.screenshot(alice, "dashboard");
        assertNoConsoleErrors(alice, "dashboard");
    }

    /** The API reference: Swagger UI, served by the bundle, over the director's OpenAPI document. */
    @Test
    public void i_theApiReferenceIsSwaggerUi() throws IOException {
        alice.get(ConsoleBrowserIT.console + "api");
        waitFor(alice, d -> d.findElements(By.cssSelector(".swagger-ui .opblock")).size() > 30);
        browsers.screenshot(alice, "api");
        assertNoConsoleErrors(alice, "API page");
    }

    /** Adds a service on the application page; returns its id, from the service page it leads to. */
    private static String addService(WebDriver browser, String type, String name) {
        waitFor(browser, d -> d.findElements(By.cssSelector("#new-service-type option[value='" + type + "']"))
                .size() == 1);
        new Select(browser.findElement(By.id("new-service-type"))).selectByValue(type);
        browser.findElement(By.id("new-service-name")).sendKeys(name);
        browser.findElement(By.id("new-service-submit")).click();
        waitFor(browser, d -> d.getCurrentUrl().contains("/service/")
                && !d.findElements(By.id("service-start")).isEmpty());
        return browser.getCurrentUrl().replaceAll(".*/service/", "");
    }

    static int nodeRows(WebDriver d) {
        return d.findElements(By.cssSelector(".nodes-table tbody tr[data-node]")).size();
    }

    private static String logText(WebDriver d) {
        // all of it, also the lines scrolled out of the box
        return d.findElement(By.id("log-text")).getDomProperty("textContent");
    }

    private static int helloLines(WebDriver d) {
        int lines = 0;
        By results = By.cssSelector("details[data-operation='get_helloworld'] .text-result");
        for (WebElement result : d.findElements(results)) {
            for (String line : result.getText().split("\n")) {
                if (line.contains("Received helloworld from")) {
                    lines++;
                }
            }
        }
        return lines;
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
}
