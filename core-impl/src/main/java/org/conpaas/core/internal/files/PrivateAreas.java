package org.conpaas.core.internal.files;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the director's secrets live, so what only its OS user may read: whole trees (etc/ with every .cfg, the
 * director's data folder with the CA key, key stores and the admin password, Derby's files with password hashes, the
 * logs) and every entry directly under karaf.data but the folders shared with nodes (the local cloud's). Entries
 * below those top-level folders (Karaf's bundle cache with its copies of configurations, Pax Web's temporary files)
 * are protected by their folder's mode 700 alone.
 */
record PrivateAreas(List<Path> watchedTrees, List<Path> startOnlyTrees, Path karafData,
        Set<String> sharedWithNodes) {

    PrivateAreas {
        watchedTrees = List.copyOf(watchedTrees);
        startOnlyTrees = List.copyOf(startOnlyTrees);
        sharedWithNodes = Set.copyOf(sharedWithNodes);
    }

    static PrivateAreas of(Path karafEtc, Path karafData, Path directorData, String[] sharedWithNodes) {
        Set<String> shared = new LinkedHashSet<>();
        for (String name : sharedWithNodes) {
            if (name != null && !name.isBlank()) {
                shared.add(name.strip());
            }
        }
        // Derby (with derby.storage.useDefaultFilePermissions=false, see etc/system.properties) and Log4j2 (with
        // filePermissions, see etc/org.ops4j.pax.logging.cfg) create their files owner-only themselves: restricted
        // at start for older installations, not watched (both write all the time).
        return new PrivateAreas(normalized(karafEtc, directorData),
                normalized(karafData.resolve("derby"), karafData.resolve("log")),
                karafData.toAbsolutePath().normalize(), shared);
    }

    private static List<Path> normalized(Path... paths) {
        List<Path> list = new ArrayList<>();
        for (Path p : paths) {
            Path n = p.toAbsolutePath().normalize();
            if (!list.contains(n)) {
                list.add(n);
            }
        }
        return list;
    }

    /** Whether a direct entry of karaf.data is made owner-only (its contents only if it is one of the trees). */
    boolean restrictsTopLevel(Path entry) {
        return !sharedWithNodes.contains(entry.getFileName().toString());
    }

    /** Whether a tree lies inside a folder shared with nodes (then it is left alone). */
    boolean isShared(Path tree) {
        if (!tree.startsWith(karafData) || tree.equals(karafData)) {
            return false;
        }
        return !restrictsTopLevel(karafData.resolve(karafData.relativize(tree).getName(0)));
    }
}
