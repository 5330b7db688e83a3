package org.conpaas.service.web.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.stream.Stream;
import org.conpaas.service.support.CodeArchive;

/**
 * The code a node serves: every version expands into its own folder {@code <root>/<version>}, and the link
 * {@code <root>/current} names the active one. Switching renames a new link over the old one, so a server that
 * resolves {@code current} sees either the old or the new version, never a half-expanded one. The version before
 * the active one is kept, so requests that started on it can finish; older ones are deleted.
 */
public final class CodeFolder {

    public static final String CURRENT = "current";

    private final Path root;
    private final ServerAccount account;
    private final Path workDir;

    public CodeFolder(Path workDir, Path root, ServerAccount account) {
        this.workDir = workDir;
        this.root = root;
        this.account = account;
    }

    /** The path servers use as their document root; it follows the active version. */
    public Path current() {
        return root.resolve(CURRENT);
    }

    public Optional<String> activeVersion() throws IOException {
        Path link = current();
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
    }

    /** Expands the archive as {@code version} (replacing an earlier copy of it) and makes it the active version. */
    public void install(String version, Path archive) throws IOException {
        if (!version.matches("[A-Za-z0-9][A-Za-z0-9._-]*") || version.equals(CURRENT)) {
            throw new IllegalArgumentException("invalid code version " + version);
        }
        Files.createDirectories(root);
        Path partial = root.resolve(".partial-" + version);
        deleteTree(partial);
        try {
            CodeArchive.expand(archive, partial);
            account.makeReadable(partial);
        } catch (IOException | RuntimeException e) {
            deleteTree(partial); // a refused archive leaves nothing behind
            throw e;
        }
        String previous = activeVersion().orElse(null);
        Path target = root.resolve(version);
        if (version.equals(previous)) {
            // Re-installing the active version: switch to the fresh copy under a temporary name first.
            Path fresh = root.resolve(".fresh-" + version);
            deleteTree(fresh);
            Files.move(partial, fresh, StandardCopyOption.ATOMIC_MOVE);
            switchTo(fresh);
            deleteTree(target);
            Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
            switchTo(target);
        } else {
            deleteTree(target);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            switchTo(target);
        }
        account.makeTraversable(workDir, root);
        prune(version, previous);
    }

    /** Makes an installed version the active one again (after its successor failed to start). */
    public void reactivate(String version) throws IOException {
        Path target = root.resolve(version);
        if (version.equals(CURRENT) || !Files.isDirectory(target)) {
            throw new IllegalStateException("code version " + version + " is not installed on this node");
        }
        switchTo(target);
    }

    private void switchTo(Path target) throws IOException {
        Path link = root.resolve(".current.new");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, root.relativize(target));
        Files.move(link, current(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void prune(String active, String previous) throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.equals(CURRENT) && !name.equals(active) && !name.equals(previous)) {
                    deleteTree(entry);
                }
            }
        }
    }

    /** Deletes a file, a link or a folder with everything below it; nothing happens when it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isSymbolicLink(root) || !Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(root);
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
