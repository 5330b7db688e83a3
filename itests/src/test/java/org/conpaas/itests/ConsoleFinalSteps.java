package org.conpaas.itests;

import static org.conpaas.itests.ConsoleBrowser.loginAs;
import static org.conpaas.itests.ConsoleBrowser.waitFor;
import static org.conpaas.itests.ConsoleBrowserIT.MALLORY;
import static org.conpaas.itests.ConsoleBrowserIT.MALLORY_PASSWORD;
import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.junit.Assert.assertFalse;

import java.time.Duration;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.runners.MethodSorters;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * What changes the director for every session, so it runs after all other steps: the idle timeout of sessions cut
 * to 2 s (which ends every session left, so it is the very last step). Run through {@link ConsoleBrowserIT}.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ConsoleFinalSteps {

    private static ConsoleBrowser browsers;

    @Rule
    public final TestWatcher watcher = ConsoleBrowserIT.watcher(() -> browsers);

    @BeforeClass
    public static void openTheBrowsers() {
        browsers = ConsoleBrowserIT.browsers();
    }

    @AfterClass
    public static void closeTheBrowsers() {
        browsers.close();
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
}
