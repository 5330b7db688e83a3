package org.conpaas.service.support.archive;

/** How big an uploaded archive may be, and how much and how many entries it may expand to (against bombs). */
public record ArchiveLimits(long maxArchiveBytes, long maxExpandedBytes, int maxEntries) {

    static final long MB = 1024L * 1024L;

    public static ArchiveLimits ofMegabytes(long maxArchiveMb, long maxExpandedMb, int maxEntries) {
        return new ArchiveLimits(maxArchiveMb * MB, maxExpandedMb * MB, maxEntries);
    }

    /** Limits are written in whole MB in messages, as configured. */
    public static String megabytes(long bytes) {
        return bytes % MB == 0 ? String.valueOf(bytes / MB) : String.format("%.2f", bytes / (double) MB);
    }
}
