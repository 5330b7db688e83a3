package org.conpaas.api.agent;

import java.nio.file.Path;
import java.util.Map;

/** What a node offers its agent plug-ins: identity, directories and a process runner. */
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

    /** Extra configuration the director gave the node at launch. */
    Map<String, String> properties();

    ProcessRunner processes();
}
