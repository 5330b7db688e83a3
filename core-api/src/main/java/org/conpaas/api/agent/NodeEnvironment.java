package org.conpaas.api.agent;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** What a node offers its agent plug-ins: identity, directories, the service's code and a process runner. */
@ProviderType
public interface NodeEnvironment {

    String nodeId();

    String role();

    long applicationId();

    int serviceId();

    /** The address the agent listens on, and services should bind to. */
    String address();

    Path workDir();

    /** Log files here are readable through the agent protocol. */
    Path logDir();

    Path cacheDir();

    /** Where the node's volumes are mounted, one folder per volume name (the original's {@code /media}). */
    Path mediaDir();

    /** The name of the volume the director gives a node when its service asks for one (see below). */
    static String nodeVolumeName(String nodeId) {
        return nodeId + "-data";
    }

    /**
     * The node's own volume, mounted before the service's manager configures the node when the manager asks for one
     * for the node's role ({@code ServiceManager#nodeVolumeMb}) and the node's cloud has volumes; empty otherwise
     * (keep the data in {@link #workDir()} then). Its data goes with the node.
     */
    default Optional<Path> nodeVolume() {
        Path volume = mediaDir().resolve(nodeVolumeName(nodeId()));
        return java.nio.file.Files.isDirectory(volume) ? Optional.of(volume) : Optional.empty();
    }

    /**
     * The folder of the node's active code version. The agent stores the versions the director sends and switches
     * this path (a link) atomically to the active one; plug-ins only read it, and learn of a switch through
     * {@link AgentPlugin#onCodeActivated}. It does not exist while the node has no code.
     */
    Path codeDir();

    /** The node's active code version; empty while the node has no code. */
    Optional<String> codeVersion();

    /** Extra configuration the director gave the node at launch. */
    Map<String, String> properties();

    ProcessRunner processes();
}
