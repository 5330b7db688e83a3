package org.conpaas.itests;

import static org.conpaas.itests.ConsoleBrowser.assertNoConsoleErrors;
import static org.conpaas.itests.ConsoleBrowser.loginAs;
import static org.conpaas.itests.ConsoleBrowser.script;
import static org.conpaas.itests.ConsoleBrowser.waitFor;
import static org.conpaas.itests.ConsoleBrowser.waitForState;
import static org.conpaas.itests.ConsoleBrowserIT.ALICE;
import static org.conpaas.itests.ConsoleBrowserIT.ALICE_PASSWORD;
import static org.conpaas.itests.ConsoleBrowserIT.KIM;
import static org.conpaas.itests.ConsoleBrowserIT.KIM_PASSWORD;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The console without a mouse and on a small screen: kim logs in and creates an application with the keyboard
 * alone; on a phone-sized window alice's dashboard and service page need no sideways scrolling and keep their
 * controls in view. Independent steps; run through {@link ConsoleBrowserIT}.
 */
public class ConsoleLayoutSteps extends ConsoleSteps {

    private static final int PHONE_WIDTH = 390;


    /**
     * Keys go to whatever has the focus, as on a real keyboard: the login page puts it in the user name field, Tab
     * moves on, Enter submits; after the login the page region has it, and Tab reaches the first field.
     */
    @Test
    public void withTheKeyboardOnlyAUserLogsInAndCreatesAnApplication() throws IOException {
        WebDriver kim = browsers.open();
        kim.get(ConsoleBrowserIT.console);
        waitFor(kim, d -> "login-username".equals(focused(d)));
        press(kim, KIM, Keys.TAB);
        assertEquals("login-password", focused(kim));
        press(kim, KIM_PASSWORD, Keys.ENTER);
        waitFor(kim, d -> KIM.equals(d.findElement(By.id("username")).getText()));

        waitFor(kim, d -> "view".equals(focused(d)) && !d.findElements(By.id("new-app-name")).isEmpty());
        press(kim, Keys.TAB);
        assertEquals("new-app-name", focused(kim));
        press(kim, "keys", Keys.ENTER);
        waitFor(kim, d -> d.getCurrentUrl().contains("#/app/")
                && d.findElement(By.tagName("h1")).getText().startsWith("keys"));
        ConsoleBrowserIT.created(Long.parseLong(kim.getCurrentUrl().replaceAll(".*#/app/", "")));
        browsers.screenshot(kim, "keyboard");
        assertNoConsoleErrors(kim, "keyboard pages");
    }

    @Test
    public void onAPhoneTheDashboardAndTheServicePageFitTheWidth() throws IOException {
        WebDriver phone = browsers.openPhone();
        phone.get(ConsoleBrowserIT.console);
        loginAs(phone, ALICE, ALICE_PASSWORD);

        waitFor(phone, d -> d.findElements(By.cssSelector("#applications .services li")).size() == 2);
        assertFitsTheWidth(phone, "dashboard");
        assertInView(phone, List.of(By.id("nav-applications"), By.id("nav-credit"), By.id("logout"),
                By.id("new-app-name"), By.id("new-app-submit"), By.cssSelector("#applications .services li a")));
        browsers.screenshot(phone, "phone-dashboard");

        phone.get(ConsoleBrowserIT.console + "#/app/" + ConsoleBrowserIT.shopId + "/service/"
                + ConsoleBrowserIT.helloId);
        waitFor(phone, d -> ConsoleServiceSteps.nodeRows(d) == 3);
        waitForState(phone, "RUNNING");
        assertFitsTheWidth(phone, "service page");
        assertInView(phone, List.of(By.id("service-start"), By.id("service-stop"), By.id("service-remove"),
                By.id("count-node"), By.cssSelector("button.add-nodes[data-role='node']"),
                By.cssSelector("button.remove-nodes[data-role='node']"), By.cssSelector("button.node-logs"),
                By.cssSelector("details[data-operation='get_helloworld'] button.run"), By.id("code-upload"),
                By.id("log-show"), By.id("memory-chart")));
        browsers.screenshot(phone, "phone-service");
        assertNoConsoleErrors(phone, "phone pages");
    }

    /**
     * The page is no wider than the window: nothing to scroll sideways. The window is still the phone's width (a
     * mobile browser may zoom out to show a page that overflows, which would widen the window instead).
     */
    private static void assertFitsTheWidth(WebDriver browser, String page) {
        long scrollWidth = ((Number) script(browser, "return document.documentElement.scrollWidth;")).longValue();
        long width = ((Number) script(browser, "return window.innerWidth;")).longValue();
        assertEquals("the window's width on the " + page, PHONE_WIDTH, width);
        assertTrue("the " + page + " is " + scrollWidth + " px wide in a window of " + width, scrollWidth <= width);
    }

    /** Each control is shown, and from its left edge to its right edge within the window's width. */
    private static void assertInView(WebDriver browser, List<By> controls) {
        for (By control : controls) {
            WebElement element = browser.findElement(control);
            assertTrue(control + " shown", element.isDisplayed());
            List<?> edges = (List<?>) script(browser, "const r = arguments[0].getBoundingClientRect();"
                    + " return [r.left, r.right, window.innerWidth];", element);
            double left = ((Number) edges.get(0)).doubleValue();
            double right = ((Number) edges.get(1)).doubleValue();
            double width = ((Number) edges.get(2)).doubleValue();
            assertTrue(control + " from " + left + " to " + right + " in a window of " + width,
                    left >= 0 && right <= width && right > left);
        }
    }

    private static String focused(WebDriver browser) {
        return browser.switchTo().activeElement().getAttribute("id");
    }

    /** Types into the focused element, as a keyboard does (no element is clicked or chosen first). */
    private static void press(WebDriver browser, CharSequence... keys) {
        new Actions(browser).sendKeys(keys).perform();
    }
}
