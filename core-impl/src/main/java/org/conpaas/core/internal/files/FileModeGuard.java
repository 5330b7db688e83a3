package org.conpaas.core.internal.files;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the director's files readable by its OS user only (see {@link PrivateAreas}): at start it takes group and
 * other permissions off everything there (files a tarball, an older version or another tool left readable), and
 * then watches those folders, so that what is written later gets the same treatment within milliseconds, whoever
 * writes it: Karaf's config commands or the director rewriting a file of etc/, Karaf or Pax Web creating a folder
 * under data/, our own key stores, certificates and code archives. The folders themselves are 700, so nothing is
 * readable by others even in that instant. A process-wide umask would do the same without a watcher, but the JVM cannot set its own,
 * Pax Exam does not start Karaf through bin/setenv, and the local cloud's folders must stay readable to node accounts.
 */
@Component(immediate = true, configurationPid = "org.conpaas.director")
public final class FileModeGuard {

    private static final Logger LOG = LoggerFactory.getLogger(FileModeGuard.class);

    /** Replaced live by {@link #modified}; the watcher reads it for every file that appears. */
    private volatile PrivateAreas areas;
    private final WatchService watcher;
    /** The watched folders; the value says whether what appears in it is restricted with all its contents. */
    private final Map<WatchKey, Watched> keys = new ConcurrentHashMap<>();
    private final Thread thread;

    private record Watched(Path folder, boolean wholeTree) {
    }

    @Activate
    public FileModeGuard(FileModesConfig config) throws IOException {
        this(areasOf(config));
    }

    private static PrivateAreas areasOf(FileModesConfig config) {
        return PrivateAreas.of(Paths.get(System.getProperty("karaf.etc", "etc")),
                Paths.get(System.getProperty("karaf.data", "data")),
                config.dataDir().isBlank() ? Paths.get(System.getProperty("karaf.data", "data"), "conpaas")
                        : Paths.get(config.dataDir()),
                config.dataFoldersSharedWithNodes());
    }

    /**
     * Applied live: an edit of the director's configuration that leaves these settings alone (most do) changes
     * nothing here, and new settings are watched and enforced at once, without a moment unguarded.
     */
    @Modified
    void modified(FileModesConfig config) {
        apply(areasOf(config));
    }

    /** Guards {@code next} from now on: registers its watches and restricts what it covers. */
    synchronized void apply(PrivateAreas next) {
        if (next.equals(areas)) {
            return;
        }
        LOG.info("file modes: now guarding {} and {} (shared with nodes: {})", next.watchedTrees(),
                next.startOnlyTrees(), next.sharedWithNodes());
        areas = next;
        // The old watches go after the new are in place (restrictAll registers them), so nothing is unwatched.
        Map<WatchKey, Watched> old = Map.copyOf(keys);
        keys.clear();
        if (OwnerOnly.POSIX) {
            restrictAll();
        }
        old.keySet().stream().filter(key -> !keys.containsKey(key)).forEach(WatchKey::cancel);
    }

    FileModeGuard(PrivateAreas areas) throws IOException {
        this.areas = areas;
        this.watcher = FileSystems.getDefault().newWatchService();
        if (OwnerOnly.POSIX) {
            int changed = restrictAll(); // registers the watches first, then restricts: nothing slips between
            if (changed > 0) {
                LOG.info("{} files and folders of the director were readable by other accounts: now by its own only",
                        changed);
            }
        }
        this.thread = new Thread(this::watch, "conpaas-file-modes");
        thread.setDaemon(true);
        thread.start();
    }

    @Deactivate
    void stop() throws IOException, InterruptedException {
        watcher.close();
        thread.join(5_000);
    }

    /** Registers every watch, then restricts: what appears between the two is restricted by the watcher. */
    private int restrictAll() {
        int changed = 0;
        Path data = areas.karafData();
        try {
            if (Files.isDirectory(data, LinkOption.NOFOLLOW_LINKS)) {
                register(data, false);
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(data)) {
                    for (Path entry : entries) {
                        if (areas.restrictsTopLevel(entry) && OwnerOnly.restrict(entry)) {
                            changed++;
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot restrict the entries of {} to the director's OS user: {}", data, e.toString());
        }
        for (Path tree : areas.watchedTrees()) {
            changed += restrictTree(tree, true);
        }
        for (Path tree : areas.startOnlyTrees()) {
            changed += restrictTree(tree, false);
        }
        return changed;
    }

    private int restrictTree(Path tree, boolean watch) {
        if (areas.isShared(tree)) {
            return 0;
        }
        try {
            if (watch && !Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
                // the director's data folder at the very first start: made here, so it is watched from its birth
                Files.createDirectories(tree.getParent());
                Files.createDirectory(tree, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS)) {
                return 0;
            }
            if (watch) {
                registerTree(tree);
            }
            return OwnerOnly.restrictTree(tree);
        } catch (IOException e) {
            LOG.warn("cannot restrict {} to the director's OS user: {}", tree, e.toString());
            return 0;
        }
    }

    private void registerTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> folders = walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
            for (Path folder : folders) {
                register(folder, true);
            }
        }
    }

    private void register(Path folder, boolean wholeTree) throws IOException {
        WatchKey key = folder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY);
        // a tree's folder also under karaf.data (data/log) is watched once; the tree's rule is the stricter
        keys.merge(key, new Watched(folder, wholeTree),
                (old, added) -> new Watched(old.folder(), old.wholeTree() || added.wholeTree()));
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                Watched watched = keys.get(key);
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        restrictAll();
                    } else if (watched != null) {
                        appeared(watched, watched.folder().resolve((Path) event.context()));
                    }
                }
                if (!key.reset()) {
                    keys.remove(key);
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException stopped) {
            // deactivated
        }
    }

    private void appeared(Watched in, Path path) {
        try {
            if (!in.wholeTree()) {
                if (areas.startOnlyTrees().contains(path)) {
                    OwnerOnly.restrictTree(path); // data/derby or data/log made after the start
                } else if (areas.restrictsTopLevel(path)) {
                    OwnerOnly.restrict(path);
                }
                return;
            }
            OwnerOnly.restrict(path);
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                registerTree(path);
                OwnerOnly.restrictTree(path);
            }
        } catch (IOException e) {
            LOG.warn("cannot make {} readable by the director's OS user only: {}", path, e.toString());
        }
    }

}
