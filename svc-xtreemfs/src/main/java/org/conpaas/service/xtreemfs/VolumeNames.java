package org.conpaas.service.xtreemfs;

import java.util.regex.Pattern;
import org.conpaas.api.InvalidInputException;

/**
 * What a volume name may be: it becomes a folder right below the MooseFS root and a path in the master's exports file,
 * so nothing that walks elsewhere ({@code /}, {@code ..}), hides (a leading dot, like MooseFS's own {@code .masterinfo})
 * or breaks the file's syntax (spaces, commas) gets through. The manager and the node both check.
 */
public final class VolumeNames {

    public static final int MAX_LENGTH = 64;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private VolumeNames() {
    }

    public static String check(Object value) {
        if (!(value instanceof String name) || name.isEmpty()) {
            throw new InvalidInputException(XtreemfsServiceType.VOLUME_NAME, "volumeName is required");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidInputException(XtreemfsServiceType.VOLUME_NAME,
                    "a volume name has at most " + MAX_LENGTH + " characters");
        }
        if (name.contains("/") || name.contains("..")) {
            throw new InvalidInputException(XtreemfsServiceType.VOLUME_NAME,
                    "a volume name cannot contain '/' or '..': " + name);
        }
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInputException(XtreemfsServiceType.VOLUME_NAME, "a volume name is made of letters, "
                    + "digits, '.', '_' and '-' and does not start with '.': " + name);
        }
        return name;
    }
}
