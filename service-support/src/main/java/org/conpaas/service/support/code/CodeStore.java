package org.conpaas.service.support.code;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.conpaas.service.support.Folders;
import org.conpaas.service.support.archive.ArchiveLimits;
import org.conpaas.service.support.archive.SafeArchives;

/**
 * The code versions of one node: every version expands into its own folder {@code <root>/<version>}, and the link
 * {@code <root>/current} names the active one, {@code <root>/previous} the one active before it. Switching renames a
 * new link over the old one, so a server that resolves {@code current} sees either the old or the new version, never
 * a half-expanded one. The agent keeps the active and the previous version (so a failed activation can switch back
 * without the archive again, and requests that started on the previous one can finish) and the ones stored for an
 * activation still to come; older ones are deleted: a node's disk is small.
 * <p>
 * The director never reuses a version id for other content, so storing a version the node has already is a no-op.
 */
public final class CodeStore {

    public static final String CURRENT = "current";
    public static final String PREVIOUS = "previous";
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /**
     * What a node expands at most: the director checked every version against its own (configured) limits on upload;
     * these only keep a node's disk safe from an archive that slipped past them.
     */
    public static final ArchiveLimits NODE_LIMITS = ArchiveLimits.ofMegabytes(1024, 4096, 200_000);

    private final Path root;

    public CodeStore(Path root) {
        this.root = root;
    }

    public static boolean isValidVersion(String version) {
        return version != null && VERSION.matcher(version).matches() && !version.equals(CURRENT)
                && !version.equals(PREVIOUS);
    }

    /** The path servers and scripts use for the active version; it follows every switch. */
    public Path current() {
        return root.resolve(CURRENT);
    }

    public synchronized Optional<String> active() throws IOException {
        return target(current());
    }

    /** The stored versions, in name order. */
    public synchronized List<String> versions() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.map(p -> p.getFileName().toString()).filter(CodeStore::isValidVersion)
                    .filter(name -> Files.isDirectory(root.resolve(name), LinkOption.NOFOLLOW_LINKS))
                    .sorted().toList();
        }
    }

    /**
     * Expands the archive as {@code version}; the active version stays as it is. A refused archive leaves nothing
     * behind (an {@link org.conpaas.api.InvalidInputException} naming the entry, see {@link SafeArchives}).
     */
    public synchronized void store(String version, Path archive) throws IOException {
        requireValid(version);
        Path target = root.resolve(version);
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.createDirectories(root);
        Path partial = root.resolve(".partial-" + version);
        Folders.deleteTree(partial);
        try {
            SafeArchives.expand(archive, partial, NODE_LIMITS);
        } catch (IOException | RuntimeException e) {
            Folders.deleteTree(partial);
            throw e;
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        prune(Set.of(version));
    }

    /**
     * Makes a stored version the active one; returns the version that was active before (empty if none, or if it was
     * this one already).
     */
    public synchronized Optional<String> activate(String version) throws IOException {
        requireValid(version);
        if (!Files.isDirectory(root.resolve(version), LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException("code version " + version + " is not stored on this node");
        }
        Optional<String> before = active();
        if (before.filter(version::equals).isPresent()) {
            return Optional.empty();
        }
        if (before.isPresent()) {
            link(PREVIOUS, before.get());
        }
        link(CURRENT, version);
        prune(Set.of());
        return before;
    }

    private void link(String name, String version) throws IOException {
        Path link = root.resolve("." + name + ".new");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of(version));
        Files.move(link, root.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Deletes every version but the active, the previous and {@code keep}. */
    private void prune(Set<String> keep) throws IOException {
        List<String> kept = new ArrayList<>(keep);
        active().ifPresent(kept::add);
        target(root.resolve(PREVIOUS)).ifPresent(kept::add);
        for (String version : versions()) {
            if (!kept.contains(version)) {
                Folders.deleteTree(root.resolve(version));
            }
        }
    }

    private static Optional<String> target(Path link) throws IOException {
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
    }

    private static void requireValid(String version) {
        if (!isValidVersion(version)) {
            throw new IllegalArgumentException("invalid code version " + version);
        }
    }
}
