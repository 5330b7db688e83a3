package org.conpaas.core.shell;

import java.util.Set;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.model.NewUser;
import org.conpaas.api.model.UserInfo;
import org.conpaas.core.internal.accounts.RandomPasswords;

@Service
@Command(scope = "cps", name = "user-add", description = "Create a user (administrators only); options go before "
        + "the arguments. Without --password a random password is made and printed once")
public class UserAddCommand extends CpsAction {

    @Argument(index = 0, name = "username", description = "3 to 32 characters of a-z, 0-9, '.', '_', '-'",
            required = true)
    String username;

    @Argument(index = 1, name = "email", description = "E-mail address, unique among users", required = true)
    String email;

    @Option(name = "--password", description = "The password (at least 10 characters); default: a random one")
    String password;

    @Option(name = "--credit", description = "Starting credit; default: the configured starting credit")
    Long credit;

    @Option(name = "--admin", description = "Make the user an administrator")
    boolean admin;

    @Option(name = "--first-name", description = "First name")
    String firstName;

    @Option(name = "--last-name", description = "Last name")
    String lastName;

    @Option(name = "--affiliation", description = "Affiliation")
    String affiliation;

    @Override
    protected Object run(String user) {
        boolean generated = password == null;
        String secret = generated ? RandomPasswords.generate() : password;
        Set<String> roles = admin ? Set.of(UserInfo.ROLE_USER, UserInfo.ROLE_ADMIN) : Set.of(UserInfo.ROLE_USER);
        UserInfo created = director.createUser(user, new NewUser(username, email, secret, firstName, lastName,
                affiliation, credit, roles));
        out().println("user " + created.username() + " created (" + String.join(",", created.roles())
                + ", credit " + created.credit() + ")");
        if (generated) {
            out().println("password: " + secret + "   (shown only now; the user changes it with cps:user-password)");
        }
        return null;
    }
}
