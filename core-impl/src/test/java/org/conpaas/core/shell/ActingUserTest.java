package org.conpaas.core.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivilegedExceptionAction;
import java.util.Set;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.support.CommandException;
import org.conpaas.api.model.UserInfo;
import org.conpaas.core.internal.security.MapAccounts;
import org.conpaas.core.rest.FakeDirector;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Commands act as the logged-in user; only administrators may act for someone else with --user. */
public class ActingUserTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final FakeDirector director = new FakeDirector();
    private final MapAccounts accounts = new MapAccounts().add("alice", "a").add("bob", "b")
            .add("admin", "c", UserInfo.ROLE_ADMIN);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private ApplicationCreateCommand create(String name, String actAs) {
        ApplicationCreateCommand command = new ApplicationCreateCommand();
        command.outStream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        command.director = director;
        command.accounts = accounts;
        command.name = name;
        command.actAs = actAs;
        return command;
    }

    /** Runs the command the way Karaf does: inside the session's JAAS subject. */
    private static Object runAs(String user, CpsAction command) throws Exception {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(user));
        subject.getPrincipals().add(new RolePrincipal("ssh"));
        try {
            return Subject.doAs(subject, (PrivilegedExceptionAction<Object>) command::execute);
        } catch (java.security.PrivilegedActionException e) {
            throw e.getException();
        }
    }

    @Test
    public void aCommandActsAsTheSessionsUser() throws Exception {
        runAs("alice", create("shop", null));
        assertEquals(java.util.List.of("alice"), director.users);
        assertEquals("alice", director.applications("alice").get(0).owner());
    }

    @Test
    public void anAdministratorMayActForAnotherUser() throws Exception {
        runAs("admin", create("shop", "bob"));
        assertEquals("bob", director.applications("bob").get(0).owner());
        CommandException missing = assertThrows(CommandException.class, () -> runAs("admin", create("x", "carol")));
        assertEquals("User carol does not exist.", missing.getMessage());
    }

    @Test
    public void aUserMayNotActForAnother() {
        CommandException refused = assertThrows(CommandException.class, () -> runAs("alice", create("shop", "bob")));
        assertEquals("Only administrators may act for another user with --user.", refused.getMessage());
        assertTrue(director.users.isEmpty());
        CommandException nobody = assertThrows(CommandException.class, () -> create("shop", null).execute());
        assertEquals("No user is logged in to this shell session.", nobody.getMessage());
    }

    private UserCertificateCommand certificate(Path target) {
        UserCertificateCommand command = new UserCertificateCommand();
        command.outStream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        command.director = director;
        command.accounts = accounts;
        command.target = target.toString();
        return command;
    }

    @Test
    public void userCertificateWritesAnOwnerOnlyZipAndSaysWhere() throws Exception {
        Path target = temp.getRoot().toPath().resolve("mine.zip");
        runAs("admin", certificate(target));
        assertEquals("certificate of admin", Files.readString(target));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(target));
        assertTrue(bytes.toString(StandardCharsets.UTF_8), bytes.toString(StandardCharsets.UTF_8)
                .startsWith("wrote the certificate of admin to " + target));
    }

    /** The director runs as its host's operator: a plain user's shell reads and writes no file of that host. */
    @Test
    public void plainUsersNameNoFileOnTheDirectorsHost() throws Exception {
        Path target = temp.getRoot().toPath().resolve("mine.zip");
        String refused = "Only administrators may read or write files on the director's host; plain users upload "
                + "and download through the REST API.";
        CommandException written = assertThrows(CommandException.class, () -> runAs("alice", certificate(target)));
        assertEquals(refused, written.getMessage());
        assertTrue("no file written", Files.notExists(target));
        // the keyboard user decides, not the one acted for: an administrator writes alice's certificate for her
        UserCertificateCommand forAlice = certificate(target);
        forAlice.actAs = "alice";
        runAs("admin", forAlice);
        assertEquals("certificate of alice", Files.readString(target));
        bytes.reset();

        Path secret = temp.newFile("admin-password.txt").toPath();
        Files.writeString(secret, "s3cret");
        StartupScriptSetCommand script = new StartupScriptSetCommand();
        script.outStream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        script.director = director;
        script.accounts = accounts;
        script.app = "shop";
        script.svc = "1";
        script.file = secret.toString();
        assertEquals(refused, assertThrows(CommandException.class, () -> runAs("alice", script)).getMessage());

        CodeUploadCommand upload = new CodeUploadCommand();
        upload.outStream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        upload.director = director;
        upload.accounts = accounts;
        upload.app = "shop";
        upload.svc = "1";
        upload.file = secret.toString();
        assertEquals(refused, assertThrows(CommandException.class, () -> runAs("alice", upload)).getMessage());
        assertTrue(bytes.toString(StandardCharsets.UTF_8), bytes.toString(StandardCharsets.UTF_8).isEmpty());
    }
}
