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
 * File Install writes nothing back into etc/ (etc/custom.properties), so a change made through Config Admin alone
 * would be undone by the file at the next start; and a file written in place could be read half written by File
 * Install's watcher (a CI run's Pax Web once got a configuration without its keys that way and ran Jetty on
 * 0.0.0.0:8080 without HTTPS). Every other line (comments, other keys, {@code ${...}} placeholders) stays as it was.
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
