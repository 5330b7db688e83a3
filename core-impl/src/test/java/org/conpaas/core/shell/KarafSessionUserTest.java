package org.conpaas.core.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Path;
import org.conpaas.api.AuthenticationException;
import org.conpaas.api.ForbiddenException;
import org.conpaas.api.model.UserInfo;
import org.conpaas.core.internal.security.MapAccounts;
import org.junit.Test;

/** Service bundles' commands (cps:flink-submit, …) reach the director's host files only for administrators. */
public class KarafSessionUserTest {

    private final MapAccounts accounts = new MapAccounts().add("alice", "a").add("root", "r", UserInfo.ROLE_ADMIN);

    @Test
    public void aPlainUserNamesNoHostFile() {
        KarafSessionUser alice = new KarafSessionUser(accounts, () -> "alice");
        assertEquals("alice", alice.name());
        ForbiddenException refused = assertThrows(ForbiddenException.class, () -> alice.hostFile("/etc/shadow"));
        assertEquals(DirectorHostFiles.REFUSED, refused.getMessage());
        assertThrows(ForbiddenException.class, () -> alice.hostFile("job.jar"));
    }

    @Test
    public void anAdministratorNamesHostFilesRelativeToTheWorkingDirectoryOutsideAShell() {
        KarafSessionUser root = new KarafSessionUser(accounts, () -> "root");
        assertEquals(Path.of("/srv/job.jar"), root.hostFile("/srv/../srv/job.jar"));
        assertEquals(Path.of("").toAbsolutePath().resolve("job.jar"), root.hostFile("job.jar"));
    }

    @Test
    public void noSessionNoUser() {
        KarafSessionUser nobody = new KarafSessionUser(accounts, () -> null);
        assertThrows(AuthenticationException.class, nobody::name);
        assertThrows(AuthenticationException.class, () -> nobody.hostFile("/tmp/x"));
    }
}
