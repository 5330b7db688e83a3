package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.model.UserInfo;

@Service
@Command(scope = "cps", name = "user-credit", description = "Add credit to a user, or remove it with a negative "
        + "delta (administrators only)")
public class UserCreditCommand extends CpsAction {

    @Argument(index = 0, name = "user", description = "Username", required = true)
    String username;

    @Argument(index = 1, name = "delta", description = "Credit to add; negative to remove", required = true)
    long delta;

    @Override
    protected Object run(String user) {
        UserInfo changed = director.addCredit(user, username, delta);
        out().println("user " + changed.username() + ": credit " + changed.credit() + " ("
                + (delta >= 0 ? "+" : "") + delta + ")");
        return null;
    }
}
