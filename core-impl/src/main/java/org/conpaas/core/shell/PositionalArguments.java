package org.conpaas.core.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.karaf.shell.api.console.CommandLine;

/** The positional arguments typed before the cursor, so a completer can see the application given earlier. */
final class PositionalArguments {

    /** Options of the cps commands that take a value (the value is not positional). */
    private static final Set<String> VALUE_OPTIONS = Set.of("--cloud", "--timeout", "--tail", "--user", "--out");

    private PositionalArguments() {
    }

    static List<String> before(CommandLine line) {
        String[] words = line.getArguments();
        int cursor = Math.min(line.getCursorArgumentIndex(), words.length);
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < cursor; i++) { // word 0 is the command itself
            String word = words[i];
            if (VALUE_OPTIONS.contains(word)) {
                i++;
            } else if (!word.startsWith("-")) {
                positional.add(word);
            }
        }
        return positional;
    }
}
