package org.conpaas.core.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.karaf.shell.support.CommandException;
import org.conpaas.api.model.UserInfo;
import org.conpaas.core.internal.security.MapAccounts;
import org.conpaas.core.rest.FakeDirector;
import org.junit.Before;
import org.junit.Test;

public class UserCommandsTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private FakeDirector director;

    @Before
    public void setUp() {
        director = new FakeDirector();
    }

    private <T extends CpsAction> T wire(T command) {
        command.director = director;
        command.accounts = new MapAccounts().add("admin", "admin-secret", "admin", "user");
        command.outStream = out;
        command.loggedIn = () -> "admin";
        return command;
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    /** The cells of --no-format output (tab-separated, padded). */
    private List<List<String>> rows() {
        return out().lines().map(line -> java.util.Arrays.stream(line.split("\t")).map(String::strip).toList())
                .toList();
    }

    private UserAddCommand add(String username) {
        UserAddCommand add = wire(new UserAddCommand());
        add.username = username;
        add.email = username + "@example.org";
        return add;
    }

    @Test
    public void userAddWithoutPasswordPrintsAGeneratedOneOnce() throws Exception {
        UserAddCommand add = add("bob");
        add.credit = 7L;
        add.firstName = "Bob";
        add.execute();
        List<String> lines = out().lines().toList();
        assertEquals("user bob created (user, credit 7)", lines.get(0));
        Matcher password = Pattern.compile("password: ([A-Za-z0-9]{24}) .*shown only now.*").matcher(lines.get(1));
        assertTrue(lines.get(1), password.matches());
        assertEquals(2, lines.size());
        UserInfo bob = director.user("admin", "bob");
        assertEquals(7, bob.credit());
        assertEquals("Bob", bob.firstName());
    }

    @Test
    public void userAddWithAPasswordPrintsNoPassword() throws Exception {
        UserAddCommand add = add("carol");
        add.password = "my own password";
        add.execute();
        assertEquals(List.of("user carol created (user, credit 50)"), out().lines().toList());
    }

    @Test
    public void userListIsATable() throws Exception {
        add("bob").execute();
        outBytes.reset();
        UserListCommand list = wire(new UserListCommand());
        list.noFormat = true;
        list.execute();
        List<List<String>> rows = rows();
        assertEquals(2, rows.size());
        assertEquals(List.of("admin", "admin@example.org", "-", "-", "50", "admin", "1970-01-01T00:00:00Z"),
                rows.get(0));
        assertEquals(List.of("bob", "bob@example.org", "-", "-", "50", "user"), rows.get(1).subList(0, 6));
    }

    @Test
    public void userCreditAndChargesShowTheChange() throws Exception {
        add("bob").execute();
        outBytes.reset();
        UserCreditCommand credit = wire(new UserCreditCommand());
        credit.username = "bob";
        credit.delta = -8;
        credit.execute();
        assertEquals("user bob: credit 42 (-8)" + System.lineSeparator(), out());
        outBytes.reset();
        UserChargesCommand charges = wire(new UserChargesCommand());
        charges.username = "bob";
        charges.noFormat = true;
        charges.execute();
        List<List<String>> rows = rows();
        assertEquals(1, rows.size());
        assertEquals(List.of("-8", "42", "credit added by admin", "-", "-", "-"), rows.get(0).subList(1, 7));
    }

    @Test
    public void userDeleteSaysSoAndTheUserIsGone() throws Exception {
        add("bob").execute();
        outBytes.reset();
        UserDeleteCommand delete = wire(new UserDeleteCommand());
        delete.username = "bob";
        delete.execute();
        assertEquals("user bob deleted" + System.lineSeparator(), out());
        CommandException again = assertThrows(CommandException.class, delete::execute);
        assertEquals("User bob not found.", again.getMessage());
    }

    private final List<String> prompts = new java.util.ArrayList<>();

    private UserPasswordCommand password(String... typed) {
        Deque<String> answers = new ArrayDeque<>();
        for (String answer : typed) {
            answers.add(answer == null ? "" : answer); // what readLine gives when nothing is typed
        }
        return wire(new UserPasswordCommand() {
            @Override
            String readSecret(String prompt) {
                prompts.add(prompt);
                return answers.poll();
            }
        });
    }

    @Test
    public void userPasswordAsksThreeTimesAndChecksTheRepetition() throws Exception {
        password("old password 1", "new password 12", "new password 12").execute();
        assertEquals("password of admin changed" + System.lineSeparator(), out());
        assertEquals(List.of("Current password: ", "New password: ", "New password again: "), prompts);
        CommandException differ = assertThrows(CommandException.class,
                password("old password 1", "new password 12", "new password 13")::execute);
        assertEquals("The two new passwords differ; nothing changed.", differ.getMessage());
        CommandException none = assertThrows(CommandException.class, password("old password 1", null)::execute);
        assertEquals("No password typed; nothing changed.", none.getMessage());
    }
}
