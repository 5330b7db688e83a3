package org.conpaas.core.internal.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Changes keys of a configuration file of {@code etc/} that Karaf's File Install watches, the way File Install can
 * only read it whole: the new content goes to a hidden file beside it, which then replaces the file in one rename.
 * Updating such a configuration through Config Admin instead makes File Install write the file back in place while
 * its watcher may read it: a CI run's watcher read the file half written and gave Pax Web a configuration without
 * its keys, and Jetty restarted on its defaults (0.0.0.0:8080, no HTTPS). Every other line (comments, other keys,
 * {@code ${...}} placeholders) stays as it was.
 */
final class CfgFile {

    private CfgFile() {
    }

    /** Sets {@code values} in {@code file}: a key's first line gets the new value, a missing key a line at the end. */
    static void put(Path file, Map<String, String> values) throws IOException {
        Map<String, String> pending = new LinkedHashMap<>(values);
        List<String> lines = new ArrayList<>();
        boolean continuation = false;   // the line goes on a value that the one before ends with a backslash
        boolean replaced = false;       // ... and that value is being replaced: the line goes
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String key = continuation ? null : keyOf(line);
            if (key != null && pending.containsKey(key)) {
                lines.add(key + " = " + escape(pending.remove(key)));
                replaced = true;
            } else if (key != null || !continuation) {
                lines.add(line);
                replaced = false;
            } else if (!replaced) {
                lines.add(line);
            }
            continuation = endsWithEscape(line);
        }
        pending.forEach((key, value) -> lines.add(key + " = " + escape(value)));
        Path next = file.resolveSibling("." + file.getFileName() + ".next");   // not *.cfg: File Install ignores it
        Files.deleteIfExists(next);
        Files.createFile(next, PosixFilePermissions.asFileAttribute(Files.getPosixFilePermissions(file)));
        Files.write(next, lines, StandardCharsets.UTF_8);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The key of a {@code key = value} line; null for comments and blank lines. */
    static String keyOf(String line) {
        String stripped = line.stripLeading();
        if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith("!")) {
            return null;
        }
        int end = 0;
        while (end < stripped.length() && "=: \t".indexOf(stripped.charAt(end)) < 0) {
            end++;
        }
        return stripped.substring(0, end);
    }

    /** Whether the line ends with an unescaped backslash, so that its value goes on in the next line. */
    private static boolean endsWithEscape(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** A value as the properties format reads it back: backslashes doubled, no line breaks. */
    private static String escape(String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a configuration value with a line break");
        }
        return value.replace("\\", "\\\\");
    }
}
