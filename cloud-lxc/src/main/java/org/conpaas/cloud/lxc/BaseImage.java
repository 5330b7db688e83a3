package org.conpaas.cloud.lxc;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What every node's container is cloned from: {@code busybox} (the default: a 2 MB root whose programs are the host's
 * {@code /usr}, bound read-only) or {@code debian} (a Debian root file system of its own, made with debootstrap from
 * {@code mirror}, with {@code packages} installed once). The Debian fields are checked in both cases, so a typo is
 * reported when the file is read, not at the first launch a minute later.
 */
record BaseImage(String kind, String suite, String mirror, List<String> packages) {

    static final String BUSYBOX = "busybox";
    static final String DEBIAN = "debian";
    static final String DEFAULT_SUITE = "bookworm";
    static final String DEFAULT_MIRROR = "http://deb.debian.org/debian";
    /** apt-get and debootstrap get these on their command lines (no shell), yet keep them plain and bounded. */
    static final int MAX_PACKAGES = 100;

    private static final Pattern SUITE = Pattern.compile("[a-z][a-z0-9-]{1,29}");
    private static final Pattern MIRROR = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~+/-]*)?");
    /** Debian policy 5.6.1: lower case letters, digits, + - . ; at least two characters, alphanumeric first. */
    private static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]{1,99}");
    /** After the patterns, which its construction checks against. */
    static final BaseImage DEFAULT = new BaseImage(BUSYBOX, DEFAULT_SUITE, DEFAULT_MIRROR, List.of());

    BaseImage {
        if (!BUSYBOX.equals(kind) && !DEBIAN.equals(kind)) {
            throw new IllegalArgumentException("base '" + kind + "' is neither busybox (the default: the host's "
                    + "programs) nor debian (a Debian root file system of its own)");
        }
        if (suite == null || !SUITE.matcher(suite).matches()) {
            throw new IllegalArgumentException("debianSuite '" + suite + "' is not a Debian suite name (2 to 30 of "
                    + "a-z 0-9 -, a letter first, e.g. bookworm)");
        }
        if (mirror == null || mirror.length() > 200 || !MIRROR.matcher(mirror).matches()) {
            throw new IllegalArgumentException("debianMirror '" + mirror + "' is not an http or https URL of at most "
                    + "200 characters of A-Z a-z 0-9 . _ ~ + / - (e.g. http://deb.debian.org/debian)");
        }
        if (packages.size() > MAX_PACKAGES) {
            throw new IllegalArgumentException("debianPackages names " + packages.size() + " packages; at most "
                    + MAX_PACKAGES + " may be installed into the base");
        }
        for (String name : packages) {
            if (!PACKAGE.matcher(name).matches()) {
                throw new IllegalArgumentException("debianPackages names '" + name + "', which is not a Debian "
                        + "package name (2 to 100 of a-z 0-9 + - ., a letter or digit first)");
            }
        }
        packages = List.copyOf(packages);
    }

    /** From the configuration's text: packages separated by spaces or commas. */
    static BaseImage parse(String kind, String suite, String mirror, String packages) {
        List<String> names = packages == null ? List.of()
                : Arrays.stream(packages.split("[\\s,]+")).filter(n -> !n.isEmpty()).toList();
        return new BaseImage(kind == null ? null : kind.trim(), suite == null ? null : suite.trim(),
                mirror == null ? null : mirror.trim(), names);
    }

    boolean debian() {
        return DEBIAN.equals(kind);
    }
}
