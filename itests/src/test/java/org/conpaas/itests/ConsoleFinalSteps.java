package org.conpaas.itests;

import static org.conpaas.itests.ConsoleBrowser.assertNoConsoleErrors;
import static org.conpaas.itests.ConsoleBrowser.loginAs;
import static org.conpaas.itests.ConsoleBrowser.waitFor;
import static org.conpaas.itests.ConsoleBrowserIT.MALLORY;
import static org.conpaas.itests.ConsoleBrowserIT.MALLORY_PASSWORD;
import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * What changes the director for every session, so it runs after all other steps: the console's bundle taken out
 * and dropped into deploy/ again while the director runs, then the idle timeout of sessions cut to 2 s (which ends
 * every session left, so it is the very last step). Run through {@link ConsoleBrowserIT}.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ConsoleFinalSteps extends ConsoleSteps {

    private static final Duration REDEPLOY = Duration.ofSeconds(60);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * The console is a bundle of static pages over the REST API, so it can go and come back while the director
     * runs: an administrator uninstalls it from Karaf's shell (bin/client), the console is gone and the API is not;
     * the same jar copied into deploy/ serves the console again, and a browser logs in with it.
     */
    @Test
    public void a_theConsoleComesBackWhenItsBundleIsDroppedIntoDeploy() throws Exception {
        DistributionProcess director = ConsoleBrowserIT.director;
        assertEquals(200, status(ConsoleBrowserIT.console));
        String password = DirectorTestSupport.adminPassword(director.home.resolve("data"));
        BinClient.Result uninstalled = BinClient.run(director.home, director.sshPort, "admin", password,
                "bundle:uninstall org.conpaas.frontend");
        assertEquals(uninstalled.output, 0, uninstalled.exit);
        eventually("the console gone", REDEPLOY, () -> status(ConsoleBrowserIT.console) == 404);
        assertEquals("the REST API stays", "admin",
                ConsoleBrowserIT.admin.get("/users/me").ok().path("username").asText());

        Files.copy(shippedJar(director.home), director.home.resolve("deploy").resolve("frontend.jar"));
        eventually("the console back from deploy/", REDEPLOY, () -> status(ConsoleBrowserIT.console) == 200);
        // the bundle serving it is the one from deploy/ (nothing put the feature's bundle back)
        BinClient.Result listed = BinClient.run(director.home, director.sshPort, "admin", password,
                "bundle:list -l | grep frontend");
        List<String> bundles = ShellSessions.withoutAnsi(listed.output).lines().map(String::strip)
                .filter(l -> l.contains("frontend")).toList();
        assertEquals(listed.output, 1, bundles.size());
        assertTrue(bundles.get(0), bundles.get(0).contains("Active")
                && bundles.get(0).endsWith("/deploy/frontend.jar"));
        WebDriver mallory = browsers.open();
        mallory.get(ConsoleBrowserIT.console);
        loginAs(mallory, MALLORY, MALLORY_PASSWORD);
        waitFor(mallory, d -> "Applications".equals(d.findElement(By.tagName("h1")).getText()));
        assertNoConsoleErrors(mallory, "redeployed console");
    }

    /** An expired session is refused, by the API and by the console, which shows its login page again. */
    @Test
    public void z_anIdleSessionExpires() throws Exception {
        WebDriver mallory = browsers.open();
        mallory.get(ConsoleBrowserIT.console);
        loginAs(mallory, MALLORY, MALLORY_PASSWORD);
        String applications = "http://127.0.0.1:" + ConsoleBrowserIT.director.httpPort + "/api/v1/applications";
        mallory.get(applications);
        assertFalse(mallory.getPageSource(), mallory.getPageSource().contains("your session has expired"));
        ConsoleBrowserIT.director.configure("org.conpaas.director.cfg", "sessionIdleSeconds", "2");
        eventually("the session expires", Duration.ofSeconds(30), () -> {
            Thread.sleep(3000); // more than the idle time, without a call that would keep the session alive
            mallory.get(applications);
            return mallory.getPageSource().contains("your session has expired");
        });
        mallory.get(ConsoleBrowserIT.console);
        waitFor(mallory, d -> !d.findElements(By.id("login-form")).isEmpty());
    }

    /** The console's jar as the distribution ships it in system/ (its version is the build's). */
    private static Path shippedJar(Path home) throws Exception {
        try (Stream<Path> files = Files.walk(home.resolve("system/org/conpaas/frontend"))) {
            return files.filter(p -> p.getFileName().toString().matches("frontend-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("the distribution ships no frontend bundle"));
        }
    }

    private static int status(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
