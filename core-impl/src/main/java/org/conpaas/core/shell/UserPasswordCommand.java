package org.conpaas.core.shell;

import java.io.IOException;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.conpaas.api.InvalidInputException;

@Service
@Command(scope = "cps", name = "user-password", description = "Change your password; asks for the current one and "
        + "the new one twice, without echoing them")
public class UserPasswordCommand extends CpsAction {

    @Reference
    Session session;

    /** One line typed with echo off; null at the end of input. */
    String readSecret(String prompt) throws IOException {
        return session.readLine(prompt, '*');
    }

    @Override
    protected Object run(String user) throws IOException {
        String current = required(readSecret("Current password: "), "oldPassword");
        String chosen = required(readSecret("New password: "), "newPassword");
        String repeated = required(readSecret("New password again: "), "newPassword");
        if (!chosen.equals(repeated)) {
            throw new InvalidInputException("newPassword", "the two new passwords differ; nothing changed");
        }
        director.changePassword(user, current, chosen);
        out().println("password of " + user + " changed");
        return null;
    }

    private static String required(String typed, String field) {
        if (typed == null || typed.isEmpty()) {
            throw new InvalidInputException(field, "no password typed; nothing changed");
        }
        return typed;
    }
}
