package org.conpaas.service.support.archive;

/** The archive formats a code version may be uploaded in, named as users know them. */
public enum ArchiveType {
    TAR("tar"), TAR_GZ("tar.gz"), TAR_BZ2("tar.bz2"), ZIP("zip");

    private final String label;

    ArchiveType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
