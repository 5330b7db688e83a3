package org.conpaas.api.service;

import org.osgi.annotation.versioning.ProviderType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/** What the director gives one service manager. Managers never talk to a cloud directly. */
@ProviderType
public interface ServiceContext {

    long applicationId();

    int serviceId();

    String serviceName();

    /** The user who owns the service. */
    String ownerId();

    /** The service's current (running) nodes. */
    List<ServiceNode> nodes();

    /**
     * The service's nodes whose agents stopped answering (FAILED); they are kept until replaced or the service stops,
     * so that operations over all nodes can say which ones they skipped.
     */
    default List<ServiceNode> failedNodes() {
        return List.of();
    }

    /** Calls the agents of the service's nodes. */
    AgentCalls agents();

    /** Key/value state kept in the director's database; survives director restarts. */
    ManagerState state();

    /** The service's manager log (shown by {@code service-log}). */
    ServiceLog log();

    /** For a manager's own periodic work; tasks end when the service is removed or its type uninstalled. */
    ScheduledExecutorService scheduler();

    /** The service's code versions. */
    CodeRepository code();

    /**
     * Publishes where users reach the service (for example {@code http://<proxy address>:<port>/}), or clears it
     * with null; kept in the director's database and shown with the service's info. Cleared when the service stops.
     */
    void publishUrl(String url);

    /**
     * Puts {@code files} (name → file on the director) into a folder that {@code node}'s machine shares read-only among
     * all its nodes, once per machine, and returns that folder as the node sees it; empty when the node's cloud gives
     * each node a machine of its own (then send the files to the node). {@code name} is the folder's name (letters,
     * digits, {@code . - _}, at most 100) and must always stand for the same files: put a version or digest in it.
     */
    default Optional<String> shareOnHost(ServiceNode node, String name, Map<String, Path> files) {
        return Optional.empty();
    }

    /**
     * Publishes variables for the scripts of the other services of the same application (e.g. where and with which
     * credential to mount this service's file system), replacing what this service published before; an empty map
     * clears them. Names are {@code [A-Z][A-Z0-9_]{0,63}}, values at most 1024 characters without control characters,
     * at most 64 variables; anything else is refused with an {@link IllegalArgumentException}. Kept in the director's
     * database; only a running service's variables are offered to the others.
     */
    default void publishVariables(java.util.Map<String, String> variables) {
    }

    /**
     * The variables the other running services of this application published (see {@link #publishVariables}); where
     * two publish the same name, the older service (lower number) wins.
     */
    default java.util.Map<String, String> applicationVariables() {
        return java.util.Map.of();
    }
}
