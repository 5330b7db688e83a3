package org.conpaas.service.support.archive;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where the readers put the entries they walk: nowhere while an archive is only checked, a folder when it is expanded
 * ({@link FolderWriter}). Names are the normalised relative paths {@link EntryRules} returned.
 */
interface EntrySink {

    /** Checking only: every entry is read and counted, nothing is written. */
    EntrySink NOWHERE = new EntrySink() {
    };

    default void directory(String name) throws IOException {
    }

    /** Where the data of a file entry goes; null to read and count it only. */
    default OutputStream file(String name, int mode) throws IOException {
        return null;
    }

    default void symlink(String name, String target) throws IOException {
    }

    default void hardLink(String name, String target) throws IOException {
    }
}
