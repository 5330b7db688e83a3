package org.conpaas.api.service;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.conpaas.api.model.OperationDescriptor;

/**
 * A kind of service (php, mysql, helloworld…), registered as an OSGi service by its bundle with the property
 * {@value #PROPERTY}={@link #name()}. The same bundle holds the type's {@link org.conpaas.api.agent.AgentPlugin},
 * which the director pushes to the nodes.
 */
public interface ServiceType {
    /** Service property naming the type; also set on the type's AgentPlugin. */
    String PROPERTY = "conpaas.service.type";

    String name();

    String description();

    /** The roles a node of this type may have; never empty. */
    List<String> roles();

    /** The role that {@code count} means when a caller names no role. */
    default String defaultRole() {
        return roles().get(0);
    }

    /** Nodes created when the service starts, per role (e.g. {@code {node: 1}}). */
    default Map<String, Integer> startingNodes() {
        return Map.of(defaultRole(), 1);
    }

    /**
     * The code every new service of this type starts with, as an archive (tar, tar.gz or zip): installed as the
     * active version {@code code-default}. Empty for types without code.
     */
    default Optional<byte[]> defaultCode() {
        return Optional.empty();
    }

    /** Service-specific operations, callable through REST, shell and frontend. */
    List<OperationDescriptor> operations();

    /** Creates the manager of one service; called again after a director restart with the same persisted state. */
    ServiceManager createManager(ServiceContext context);
}
