package org.conpaas.agent.core.volumes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The mounts this process sees, from {@code /proc/self/mountinfo}. */
final class MountTable {

    /** One mount: where, what file system type, and its source (e.g. {@code /dev/loop3} or an image path). */
    record Mount(Path mountPoint, String fsType, String source) {
        boolean isFuse() {
            return fsType.startsWith("fuse");
        }

        /**
         * The device as the director named it: a loop device is translated back to its backing image file, since
         * the local cloud attaches images, not loop devices.
         */
        String device() {
            Matcher loop = LOOP.matcher(source);
            if (loop.matches()) {
                Path backing = Path.of("/sys/block", loop.group(1), "loop", "backing_file");
                try {
                    return Files.readString(backing, StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    return source; // detached meanwhile
                }
            }
            return source;
        }
    }

    private static final Pattern LOOP = Pattern.compile("/dev/(loop[0-9]+)");
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private MountTable() {
    }

    static List<Mount> read() throws VolumeException {
        List<String> lines;
        try {
            lines = Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw VolumeException.failed("cannot read " + MOUNTINFO + ": " + e.getMessage());
        }
        List<Mount> mounts = new ArrayList<>();
        for (String line : lines) {
            // id parent major:minor root mountPoint options [optional fields...] - fsType source superOptions
            String[] fields = line.split(" ");
            int separator = List.of(fields).indexOf("-");
            if (fields.length < 5 || separator < 0 || separator + 2 >= fields.length) {
                continue;
            }
            mounts.add(new Mount(Path.of(unescape(fields[4])), unescape(fields[separator + 1]),
                    unescape(fields[separator + 2])));
        }
        return mounts;
    }

    /** The kernel writes space, tab, newline and backslash as octal escapes (\040 ...). */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
