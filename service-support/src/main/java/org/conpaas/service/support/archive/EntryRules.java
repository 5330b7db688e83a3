package org.conpaas.service.support.archive;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.TooLargeException;
import org.conpaas.api.UnsupportedArchiveException;

/**
 * The rules every entry of an uploaded archive must keep, whatever the format: a relative path without {@code ..},
 * links that stay inside the folder the archive expands in (also when followed through other links), and the
 * entry-count and expansion limits. Links are judged once all entries are known, because a link may point through
 * a link that comes later in the archive.
 */
final class EntryRules {

    static final String PARAMETER = "file";

    private final ArchiveLimits limits;
    private final List<String> names = new ArrayList<>();
    private final Map<String, String> symlinks = new LinkedHashMap<>();
    private final Map<String, String> hardLinks = new LinkedHashMap<>();
    private long expandedBytes;

    EntryRules(ArchiveLimits limits) {
        this.limits = limits;
    }

    /** Checks and counts one entry; returns its normalised relative path ("" for the archive folder itself). */
    String entry(String rawName) {
        if (names.size() >= limits.maxEntries()) {
            throw tooLarge("archive has more than " + limits.maxEntries() + " entries");
        }
        String name = normalise(rawName);
        names.add(name);
        return name;
    }

    /** Counts bytes as they are actually read, since sizes in headers can lie. */
    void expanded(long bytes) {
        expandedBytes += bytes;
        if (expandedBytes > limits.maxExpandedBytes()) {
            throw tooLarge("archive expands to more than " + ArchiveLimits.megabytes(limits.maxExpandedBytes())
                    + " MB");
        }
    }

    void symlink(String name, String target) {
        symlinks.put(name, target);
    }

    void hardLink(String name, String target) {
        hardLinks.put(name, target);
    }

    /** Judges the links and the paths through them once every entry is known. */
    void finish() {
        for (String name : names) {
            String prefix = parentOf(name);
            while (!prefix.isEmpty()) {
                if (symlinks.containsKey(prefix)) {
                    throw refused("archive entry '" + name + "' is written through the symbolic link '" + prefix
                            + "'");
                }
                prefix = parentOf(prefix);
            }
        }
        symlinks.forEach((name, target) -> inside(name, target, parentOf(name), "a symbolic link"));
        hardLinks.forEach((name, target) -> inside(name, target, "", "a hard link"));
    }

    private void inside(String name, String target, String start, String kind) {
        String outside = "archive entry '" + name + "' is " + kind + " to '" + target
                + "' outside the archive folder";
        if (target == null || target.isEmpty() || isAbsolute(target)) {
            throw refused(outside);
        }
        Deque<String> path = new ArrayDeque<>();
        for (String segment : start.split("/")) {
            if (!segment.isEmpty()) {
                path.addLast(segment);
            }
        }
        for (String segment : target.split("[/\\\\]")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                // ".." after a symbolic link climbs from wherever that link points, which a path cannot tell.
                if (path.isEmpty() || symlinks.containsKey(String.join("/", path))) {
                    throw refused(outside);
                }
                path.removeLast();
            } else {
                path.addLast(segment);
            }
        }
    }

    private static String normalise(String rawName) {
        if (rawName == null || rawName.isEmpty()) {
            throw refused("archive has an entry without a name");
        }
        if (rawName.indexOf('\0') >= 0) {
            throw refused("archive entry '" + rawName.replace('\0', '?') + "' has a NUL character in its name");
        }
        if (isAbsolute(rawName)) {
            throw refused("archive entry '" + rawName + "' has an absolute path");
        }
        List<String> kept = new ArrayList<>();
        for (String segment : rawName.split("[/\\\\]")) {
            if (segment.equals("..")) {
                throw refused("archive entry '" + rawName + "' leaves the archive folder (a '..' segment)");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                kept.add(segment);
            }
        }
        return String.join("/", kept);
    }

    private static boolean isAbsolute(String path) {
        return path.startsWith("/") || path.startsWith("\\")
                || (path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0)));
    }

    private static String parentOf(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }

    static InvalidInputException refused(String message) {
        return new InvalidInputException(PARAMETER, message);
    }

    /** Not an archive, or a kind we cannot read (415). */
    static InvalidInputException unsupported(String message) {
        return new UnsupportedArchiveException(PARAMETER, message);
    }

    /** Over a size, expansion or entry limit (413). */
    static InvalidInputException tooLarge(String message) {
        return new TooLargeException(PARAMETER, message);
    }
}
