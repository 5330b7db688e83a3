package org.conpaas.core.shell;

import java.nio.file.Path;
import org.apache.felix.service.command.Job;
import org.conpaas.api.AuthenticationException;
import org.conpaas.api.director.SessionUser;
import org.conpaas.core.internal.accounts.Accounts;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link SessionUser} for service bundles' commands: the JAAS subject of the Karaf session calling it. Host files
 * follow the same rule as the director's own commands ({@link DirectorHostFiles}): administrators only.
 */
@Component(service = SessionUser.class)
public class KarafSessionUser implements SessionUser {

    private final Accounts accounts;
    private final ShellUser loggedIn;

    @Activate
    public KarafSessionUser(@Reference Accounts accounts) {
        this(accounts, ShellUser.SESSION);
    }

    KarafSessionUser(Accounts accounts, ShellUser loggedIn) {
        this.accounts = accounts;
        this.loggedIn = loggedIn;
    }

    @Override
    public String name() {
        String name = loggedIn.name();
        if (name == null) {
            throw new AuthenticationException("no user is logged in to this shell session");
        }
        return name;
    }

    @Override
    public Path hostFile(String file) {
        return new DirectorHostFiles(accounts.isAdmin(name()), sessionDirectory()).resolve(file);
    }

    /** The calling shell session's current directory (Gogo's current job), or null outside a shell command. */
    private static Path sessionDirectory() {
        Job job = Job.Utils.current();
        return job == null || job.session() == null ? null : job.session().currentDir();
    }
}
