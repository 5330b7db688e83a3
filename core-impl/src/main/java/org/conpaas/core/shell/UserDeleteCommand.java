package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "cps", name = "user-delete", description = "Delete a user (administrators only): their nodes are "
        + "released, they can no longer log in, and the name is never given out again")
public class UserDeleteCommand extends CpsAction {

    @Argument(index = 0, name = "user", description = "Username", required = true)
    String username;

    @Override
    protected Object run(String user) {
        director.deleteUser(user, username);
        out().println("user " + username + " deleted");
        return null;
    }
}
