package org.conpaas.cloud.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.conpaas.service.support.host.FilePermissions;
import org.conpaas.service.support.host.FileTrees;
import org.conpaas.service.support.host.Mounts;

/**
 * The node directories {@code <dataDir>/nodes/<vmId>/}: the driver's only memory of its nodes. Each holds the driver's
 * {@code node.properties}, the node's own {@code work/} folder (the agent's work directory, owned by the node's
 * account) and {@code media/} (the mount points of its volumes).
 */
final class NodeStore {

    private static final Pattern VM_ID = Pattern.compile("local-[0-9a-f]{8}");

    private final Path nodesDir;

    NodeStore(Path nodesDir) {
        this.nodesDir = nodesDir;
    }

    /** Only ids of our own shape are ever turned into paths, so a caller cannot point outside nodesDir. */
    static boolean isVmId(String vmId) {
        return vmId != null && VM_ID.matcher(vmId).matches();
    }

    Path dir(String vmId) {
        if (!isVmId(vmId)) {
            throw new IllegalArgumentException("not a local vmId: " + vmId);
        }
        return nodesDir.resolve(vmId);
    }

    /** The agent's work directory: everything the node itself writes. */
    Path workDir(String vmId) {
        return dir(vmId).resolve("work");
    }

    /** Where the node's volumes are mounted, one folder per name. */
    Path mediaDir(String vmId) {
        return dir(vmId).resolve("media");
    }

    Path nodesDir() {
        return nodesDir;
    }

    boolean exists(String vmId) {
        return isVmId(vmId) && Files.isDirectory(nodesDir.resolve(vmId));
    }

    /** Creates the directory of a new node under a fresh vmId. */
    String create() throws IOException {
        return FilePermissions.createUniquePrivateDirectory(nodesDir, "local-");
    }

    Optional<NodeRecord> read(String vmId) {
        try {
            return Optional.of(NodeRecord.read(dir(vmId)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    List<String> vmIds() throws IOException {
        List<String> ids = new ArrayList<>();
        if (Files.isDirectory(nodesDir)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(nodesDir, Files::isDirectory)) {
                dirs.forEach(d -> {
                    String name = d.getFileName().toString();
                    if (isVmId(name)) {
                        ids.add(name);
                    }
                });
            }
        }
        ids.sort(null);
        return ids;
    }

    /**
     * Deletes the node's directory after unmounting what its agent mounted there (volumes under media/), so the
     * deletion never walks into a volume and no loop device is left behind.
     */
    void delete(String vmId) throws IOException {
        Mounts.unmountBelow(dir(vmId));
        FileTrees.deleteTree(dir(vmId));
    }
}
