package org.conpaas.core.internal.director;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.cloud.HostShare;
import org.conpaas.api.service.ServiceNode;

/**
 * Fills the folders clouds share read-only among the nodes of one machine ({@link HostShare}): a service type's
 * {@code shareOnHost(node, name, files)} copies the files once per machine, into a hidden folder first and then
 * renamed into place, so a folder that exists is complete; later calls only find it. Only the director writes
 * there (folders 755, files 644, owned by the director's account), so what one tenant's node reads is what
 * another's reads.
 */
final class HostShares {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final boolean POSIX = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews()
            .contains("posix");

    private final CloudRegistry clouds;
    private final Map<Path, Object> locks = new ConcurrentHashMap<>();

    HostShares(CloudRegistry clouds) {
        this.clouds = clouds;
    }

    Optional<String> share(ServiceNode node, String name, Map<String, Path> files) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a shared folder's name: " + name);
        }
        files.keySet().forEach(file -> {
            if (file == null || !NAME.matcher(file).matches()) {
                throw new IllegalArgumentException("not a shared file's name: " + file);
            }
        });
        Optional<HostShare> share = clouds.find(node.cloud()).flatMap(CloudDriver::hostShare);
        if (share.isEmpty()) {
            return Optional.empty();
        }
        Path target = share.get().onHost().resolve(name);
        synchronized (locks.computeIfAbsent(target, t -> new Object())) {
            if (!Files.isDirectory(target)) {
                fill(share.get().onHost(), target, files);
            }
        }
        return Optional.of(share.get().onNode().resolve(name).toString());
    }

    private static void fill(Path root, Path target, Map<String, Path> files) {
        Path partial = null;
        try {
            Files.createDirectories(root);
            partial = Files.createTempDirectory(root, "." + target.getFileName() + "-");
            for (Map.Entry<String, Path> file : files.entrySet()) {
                Path copy = partial.resolve(file.getKey());
                Files.copy(file.getValue(), copy, StandardCopyOption.REPLACE_EXISTING);
                mode(copy, "rw-r--r--");
            }
            mode(partial, "rwxr-xr-x");
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            partial = null;
        } catch (FileAlreadyExistsException e) {
            // another director thread won: its folder is complete too
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fill the shared folder " + target + ": " + e.getMessage(), e);
        } finally {
            if (partial != null) {
                deleteTree(partial);
            }
        }
    }

    private static void mode(Path path, String mode) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        }
    }

    private static void deleteTree(Path tree) {
        try (Stream<Path> walk = Files.walk(tree)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a hidden leftover; the next fill uses another name
        }
    }
}
