package org.conpaas.service.web;

import java.nio.file.Path;
import org.conpaas.api.InvalidInputException;
import org.conpaas.service.support.archive.ArchiveLimits;
import org.conpaas.service.support.archive.ArchiveType;
import org.conpaas.service.support.archive.SafeArchives;

/** Tells the kinds of code archive the web hosting types care about apart by their content. */
public final class CodeKinds {

    /** The director checked the version against its own limits on upload; these only bound this second reading. */
    private static final ArchiveLimits LIMITS = ArchiveLimits.ofMegabytes(1024, 4096, 200_000);

    private CodeKinds() {
    }

    /** A Java web archive: a zip file holding a {@code WEB-INF/} folder. */
    public static boolean isWar(Path archive) {
        try {
            return SafeArchives.check(archive, LIMITS) == ArchiveType.ZIP
                    && SafeArchives.entryNames(archive, LIMITS).stream().anyMatch(name -> name.startsWith("WEB-INF/"));
        } catch (InvalidInputException notReadableHere) {
            return false; // a tar.bz2 (read by the director only) is no WAR either
        }
    }
}
