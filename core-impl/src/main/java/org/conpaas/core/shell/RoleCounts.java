package org.conpaas.core.shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.conpaas.api.InvalidInputException;

/** Parses node counts given as {@code role=count} arguments; a bare number counts nodes of the default role. */
final class RoleCounts {

    private RoleCounts() {
    }

    static Map<String, Integer> parse(List<String> arguments, String defaultRole) {
        if (arguments == null || arguments.isEmpty()) {
            throw new InvalidInputException("roles", "give at least one role=count (or a count for the default role)");
        }
        Map<String, Integer> roles = new LinkedHashMap<>();
        for (String argument : arguments) {
            int eq = argument.indexOf('=');
            String role = eq < 0 ? defaultRole : argument.substring(0, eq).trim();
            String count = eq < 0 ? argument : argument.substring(eq + 1);
            if (role == null || role.isEmpty()) {
                throw new InvalidInputException("roles", "'" + argument + "' names no role");
            }
            // saturates instead of overflowing, so the director's limit names the problem
            roles.merge(role, count(argument, count), (a, b) -> (int) Math.min(Integer.MAX_VALUE, (long) a + b));
        }
        return roles;
    }

    private static int count(String argument, String count) {
        try {
            int value = Integer.parseInt(count.trim());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("roles", "'" + argument + "' is not role=count with a count of at least 1");
    }
}
