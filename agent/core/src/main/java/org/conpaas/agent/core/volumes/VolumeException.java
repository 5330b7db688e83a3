package org.conpaas.agent.core.volumes;

/** A volume request that cannot be done; the message is one sentence for the director. */
public final class VolumeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong, so the HTTP layer can choose the status. */
    public enum Kind {
        /** bad name or device (400) */
        INVALID,
        /** the mount point or the device is taken by another volume (409) */
        CONFLICT,
        /** a tool failed or is missing (500) */
        FAILED
    }

    private final Kind kind;

    private VolumeException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static VolumeException invalid(String message) {
        return new VolumeException(Kind.INVALID, message);
    }

    static VolumeException conflict(String message) {
        return new VolumeException(Kind.CONFLICT, message);
    }

    static VolumeException failed(String message) {
        return new VolumeException(Kind.FAILED, message);
    }
}
