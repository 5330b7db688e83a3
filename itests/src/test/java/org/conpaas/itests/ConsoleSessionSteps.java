package org.conpaas.itests;

import static org.conpaas.itests.ConsoleBrowser.loginAs;
import static org.conpaas.itests.ConsoleBrowser.waitFor;
import static org.conpaas.itests.ConsoleBrowserIT.ALICE;
import static org.conpaas.itests.ConsoleBrowserIT.ALICE_PASSWORD;
import static org.conpaas.itests.ConsoleBrowserIT.MALLORY;
import static org.conpaas.itests.ConsoleBrowserIT.MALLORY_PASSWORD;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import org.junit.AfterClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * Sessions: a forged cross-origin post with alice's cookie creates nothing, logging out leads back to the login
 * page, and mallory, logged in beside her, sees nothing of alice's application, through the console or the API.
 * Run through {@link ConsoleBrowserIT}, after ConsoleServiceSteps created that application.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ConsoleSessionSteps extends ConsoleSteps {

    private static WebDriver alice;
    private static HttpServer attacker;

    @AfterClass
    public static void stopTheAttacker() {
        if (attacker != null) {
            attacker.stop(0);
        }
    }

    /** A cross-origin form post with alice's cookie is refused: it has no CSRF token. */
    @Test
    public void a_aForgedCrossOriginPostCreatesNothing() throws IOException {
        alice = browsers.open();
        alice.get(ConsoleBrowserIT.console);
        loginAs(alice, ALICE, ALICE_PASSWORD);
        attacker = attackerPage(ConsoleBrowserIT.director.httpPort);
        alice.get("http://127.0.0.1:" + attacker.getAddress().getPort() + "/");
        waitFor(alice, d -> d.getPageSource().contains("X-CSRF-Token"));
        for (JsonNode app : ConsoleBrowserIT.as(ALICE, ALICE_PASSWORD).get("/applications").ok()) {
            assertFalse("the forged post created nothing", app.path("name").asText().startsWith("forged"));
        }
    }

    @Test
    public void b_loggingOutLeadsToTheLoginPage() {
        alice.get(ConsoleBrowserIT.console);
        waitFor(alice, d -> !d.findElements(By.id("logout")).isEmpty());
        alice.findElement(By.id("logout")).click();
        waitFor(alice, d -> !d.findElements(By.id("login-form")).isEmpty());
    }

    @Test
    public void c_anotherUserSeesNothingOfAlicesApplication() throws IOException {
        long appId = ConsoleBrowserIT.shopId;
        String console = ConsoleBrowserIT.console;
        String api = "http://127.0.0.1:" + ConsoleBrowserIT.director.httpPort + "/api/v1";
        WebDriver mallory = browsers.open();
        mallory.get(console);
        loginAs(mallory, MALLORY, MALLORY_PASSWORD);
        mallory.get(console + "#/app/" + appId);
        waitFor(mallory, d -> d.findElement(By.tagName("h1")).getText().equals("Not found"));
        mallory.get(console + "#/");
        waitFor(mallory, d -> d.findElement(By.tagName("h1")).getText().equals("Applications"));
        mallory.get(console + "#/app/" + appId + "/service/" + ConsoleBrowserIT.helloId);
        waitFor(mallory, d -> d.findElement(By.tagName("h1")).getText().equals("Not found"));
        assertTrue(mallory.findElement(By.cssSelector("main .error")).getText().contains("not found"));
        assertFalse(mallory.getPageSource().contains("shop"));
        mallory.get(api + "/applications/" + appId);
        assertTrue(mallory.getPageSource(), mallory.getPageSource().contains("404"));
        assertFalse(mallory.getPageSource().contains("shop"));
        mallory.get(api + "/applications");
        assertFalse(mallory.getPageSource().contains("shop"));
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
