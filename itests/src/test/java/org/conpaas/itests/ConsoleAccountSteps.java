package org.conpaas.itests;

import static org.conpaas.itests.ConsoleBrowser.assertNoConsoleErrors;
import static org.conpaas.itests.ConsoleBrowser.consoleErrors;
import static org.conpaas.itests.ConsoleBrowser.loginAs;
import static org.conpaas.itests.ConsoleBrowser.type;
import static org.conpaas.itests.ConsoleBrowser.waitFor;
import static org.conpaas.itests.ConsoleBrowserIT.ALICE;
import static org.conpaas.itests.ConsoleBrowserIT.ALICE_PASSWORD;
import static org.conpaas.itests.ConsoleBrowserIT.STARTING_CREDIT;
import static org.conpaas.itests.ConsoleBrowserIT.admin;
import static org.conpaas.itests.DirectorTestSupport.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.conpaas.itests.DirectorTestSupport.Api;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Accounts through the console: alice's credit page against what the API says of her charges (after the services
 * of ConsoleServiceSteps ran), self-registration from the login page (the suite's director has it switched on), and
 * the administrator's users page; what the pages did is checked over REST as well. Run through
 * {@link ConsoleBrowserIT}.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ConsoleAccountSteps extends ConsoleSteps {

    /** The same visitor's browser for the refused and the accepted registration. */
    private static WebDriver visitor;

    /**
     * The credit page shows what GET /users/me and /users/me/charges say, row by row, newest first; alice's nodes
     * (three helloworld nodes and the PHP service's) were charged 1 credit each when they started.
     */
    @Test
    public void a_theCreditPageShowsTheCreditAndTheLedgerOfCharges() throws IOException {
        Api aliceApi = ConsoleBrowserIT.as(ALICE, ALICE_PASSWORD);
        WebDriver alice = browsers.open();
        alice.get(ConsoleBrowserIT.console);
        loginAs(alice, ALICE, ALICE_PASSWORD);
        alice.findElement(By.id("nav-credit")).click();
        waitFor(alice, d -> !d.findElements(By.cssSelector("#charges-table tr.charge")).isEmpty());
        // compared until they agree: the page polls, and a charge may land between the two reads
        waitFor(alice, Duration.ofSeconds(30), d -> shownLedger(d).equals(restLedger(aliceApi)));

        long credit = aliceApi.get("/users/me").ok().path("credit").asLong();
        JsonNode charges = aliceApi.get("/users/me/charges").ok();
        assertEquals(Long.toString(credit), alice.findElement(By.id("credit-amount")).getText());
        assertEquals("the newest balance is the credit", credit, charges.get(0).path("balance").asLong());
        Set<String> chargedNodes = new HashSet<>();
        for (JsonNode charge : charges) {
            assertEquals(charge.toString(), -1, charge.path("amount").asLong());
            chargedNodes.add(charge.path("nodeId").asText());
        }
        String hello = "/applications/" + ConsoleBrowserIT.shopId + "/services/" + ConsoleBrowserIT.helloId;
        for (JsonNode node : aliceApi.get(hello + "/nodes").ok()) {
            assertTrue("node " + node.path("id") + " charged: " + charges,
                    chargedNodes.contains(node.path("id").asText()));
        }
        assertEquals("one credit per node start", STARTING_CREDIT - charges.size(), credit);
        browsers.screenshot(alice, "credit");
        assertNoConsoleErrors(alice, "credit page");
    }

    /** A refused registration shows the API's own sentence; the same body sent to the API gets it too. */
    @Test
    public void b_aRefusedRegistrationShowsWhy() throws IOException {
        visitor = browsers.open();
        visitor.get(ConsoleBrowserIT.console);
        waitFor(visitor, d -> !d.findElements(By.id("register-link")).isEmpty());
        visitor.findElement(By.id("register-link")).click();
        waitFor(visitor, d -> !d.findElements(By.id("register-form")).isEmpty());
        Api anonymous = new Api(ConsoleBrowserIT.director.httpPort, () -> null);

        Map<String, Object> taken = json("username", ALICE, "email", "other@example.org", "password", "taken-pass-1");
        register(taken);
        String takenSentence = anonymous.post("/users/register", taken).problem(409, ALICE, "taken")
                .path("detail").asText();
        waitFor(visitor, d -> takenSentence.equals(shownError(d)));

        Map<String, Object> tooShort = json("username", "newbie", "email", "newbie@example.org", "password", "short");
        register(tooShort);
        String shortSentence = anonymous.post("/users/register", tooShort).problem(400, "password", "at least")
                .path("detail").asText();
        waitFor(visitor, d -> shortSentence.equals(shownError(d)));

        assertEquals("nobody was registered", 404, admin.get("/users/newbie").status);
        List<String> errors = consoleErrors(visitor);
        assertEquals("the two refused registrations are the only failed requests: " + errors, 2, errors.size());
        errors.forEach(e -> assertTrue(e, e.contains("/api/v1/users/register")));
        browsers.screenshot(visitor, "register-refused");
    }

    @Test
    public void c_aVisitorRegistersAndIsLoggedInAtOnce() {
        register(json("username", "newbie", "email", "newbie@example.org", "password", "newbie-pass-1"));
        waitFor(visitor, d -> "newbie".equals(d.findElement(By.id("username")).getText()));
        waitFor(visitor, d -> "Applications".equals(d.findElement(By.tagName("h1")).getText()));
        assertTrue(visitor.getCurrentUrl(), visitor.getCurrentUrl().endsWith("#/"));
        JsonNode user = admin.get("/users/newbie").ok();
        assertEquals("newbie@example.org", user.path("email").asText());
        assertEquals(STARTING_CREDIT, user.path("credit").asLong());
        assertNoConsoleErrors(visitor, "registration");
    }

    /**
     * The administrator's users page: a user created from the form appears with its credit, credit added shows at
     * once, a deleted user goes; the API agrees each time. The administrator cannot delete himself there.
     */
    @Test
    public void d_anAdministratorCreatesCreditsAndDeletesAUser() throws IOException {
        WebDriver root = browsers.open();
        root.get(ConsoleBrowserIT.console);
        loginAs(root, "admin", DirectorTestSupport.adminPassword(ConsoleBrowserIT.director.home.resolve("data")));
        root.findElement(By.id("nav-users")).click();
        waitFor(root, d -> !d.findElements(By.cssSelector("#users-table tr[data-user='admin']")).isEmpty());
        assertTrue("no delete button for oneself",
                root.findElements(By.cssSelector("button.delete-user[data-user='admin']")).isEmpty());

        type(root.findElement(By.id("new-user-username")), "carol");
        type(root.findElement(By.id("new-user-email")), "carol@example.org");
        type(root.findElement(By.id("new-user-password")), "carol-pass-12");
        type(root.findElement(By.id("new-user-credit")), "5");
        root.findElement(By.id("new-user-submit")).click();
        waitFor(root, d -> "5".equals(creditOf(d, "carol")));
        JsonNode carol = admin.get("/users/carol").ok();
        assertEquals("carol@example.org", carol.path("email").asText());
        assertEquals(5, carol.path("credit").asLong());

        type(root.findElement(By.cssSelector("input.credit-delta[data-user='carol']")), "7");
        root.findElement(By.cssSelector("button.add-credit[data-user='carol']")).click();
        waitFor(root, d -> "12".equals(creditOf(d, "carol")));
        assertEquals(12, admin.get("/users/carol").ok().path("credit").asLong());
        JsonNode added = admin.get("/users/carol/charges").ok().get(0);
        assertEquals(added.toString(), 7, added.path("amount").asLong());
        assertEquals(added.toString(), 12, added.path("balance").asLong());
        browsers.screenshot(root, "users");

        root.findElement(By.cssSelector("button.delete-user[data-user='carol']")).click();
        // the page asks first
        new WebDriverWait(root, Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent());
        assertTrue(root.switchTo().alert().getText().contains("carol"));
        root.switchTo().alert().accept();
        waitFor(root, d -> d.findElements(By.cssSelector("#users-table tr[data-user='carol']")).isEmpty()
                && !d.findElements(By.cssSelector("#users-table tr[data-user='admin']")).isEmpty());
        assertEquals(404, admin.get("/users/carol").status);
        for (JsonNode user : admin.get("/users").ok()) {
            assertTrue("carol is gone", !"carol".equals(user.path("username").asText()));
        }
        assertNoConsoleErrors(root, "users page");
    }

    /** Fills the registration form with the body's fields (the others left empty) and submits it. */
    private static void register(Map<String, Object> body) {
        for (String field : List.of("username", "email", "password")) {
            type(visitor.findElement(By.id("register-" + field)), String.valueOf(body.get(field)));
        }
        visitor.findElement(By.id("register-submit")).click();
    }

    private static String shownError(WebDriver d) {
        return d.findElement(By.cssSelector("main .messages .error")).getText();
    }

    private static String creditOf(WebDriver d, String user) {
        return d.findElement(By.cssSelector("#users-table tr[data-user='" + user + "'] td[data-key='credit']"))
                .getText();
    }

    /** The ledger as the page shows it: amount, balance, reason and node of each row, newest first. */
    private static List<List<String>> shownLedger(WebDriver d) {
        List<List<String>> rows = new ArrayList<>();
        for (WebElement row : d.findElements(By.cssSelector("#charges-table tr.charge"))) {
            rows.add(List.of(cell(row, "amount"), cell(row, "balance"), cell(row, "reason"), cell(row, "node")));
        }
        return rows;
    }

    private static String cell(WebElement row, String key) {
        return row.findElement(By.cssSelector("td[data-key='" + key + "']")).getText();
    }

    /** The same from GET /users/me/charges (the page shows the newest 200). */
    private static List<List<String>> restLedger(Api api) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode charge : api.get("/users/me/charges").ok()) {
            if (rows.size() < 200) {
                rows.add(List.of(charge.path("amount").asText(), charge.path("balance").asText(),
                        charge.path("reason").asText(""), charge.path("nodeId").asText("")));
            }
        }
        return rows;
    }
}
