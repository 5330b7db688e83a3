package org.conpaas.core.internal.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.conpaas.api.AgentException;
import org.conpaas.api.service.ServiceNode;

/** The director's side of the agent protocol (docs/agent-protocol.md). Every call has a timeout. */
public interface AgentClient {

    /** Liveness and identity; throws if the agent does not answer within {@code timeout}. */
    AgentStatus status(ServiceNode node, Duration timeout) throws AgentException;

    /** Installs (or updates, when the bytes differ) a service bundle and waits until its agent plug-in is active. */
    void installPlugin(ServiceNode node, String type, byte[] bundleJar) throws AgentException;

    /** Calls an operation of an installed plug-in; returns the operation's JSON result. */
    Object call(ServiceNode node, String type, String operation, Map<String, Object> params, Map<String, Path> files)
            throws AgentException;

    /** The node's load now ({@code GET /v1/metrics}); throws if the agent does not answer within {@code timeout}. */
    AgentMetrics metrics(ServiceNode node, Duration timeout) throws AgentException;

    /** Reads a log file of the node ({@code agent.log} is the agent's own); {@code tail} > 0 keeps the last lines. */
    String log(ServiceNode node, String file, int tail) throws AgentException;

    /**
     * Mounts an attached volume at the node's {@code media/<name>}, formatting it (ext4) when it holds no file system
     * yet; {@code device} is what the cloud's attach returned. Returns the mount path on the node.
     */
    String mountVolume(ServiceNode node, String name, String device) throws AgentException;

    /** Unmounts a volume (processes still using it are killed first); unknown names are ignored. */
    void unmountVolume(ServiceNode node, String name) throws AgentException;

    /**
     * Stores a code version on the node ({@code PUT /v1/code/versions/{version}}, the archive as body); the node
     * expands it next to the versions it has, and the active one stays as it is.
     */
    void installCode(ServiceNode node, String version, Path archive) throws AgentException;

    /**
     * Makes a stored version the node's active one ({@code PUT /v1/code/active}); the node's plug-in reacts to it
     * before the call returns, and a plug-in that fails puts the node back on the version it had.
     */
    void activateCode(ServiceNode node, String version) throws AgentException;
}
