package org.conpaas.core.rest;

import java.util.List;
import java.util.Map;

import org.conpaas.api.InvalidInputException;

/** The JSON request bodies of the API. Unknown fields are rejected by the JSON reader. */
public final class Requests {

    private Requests() {
    }

    /** {@code {name}}: create or rename an application or a service. */
    public record Name(String name) {
    }

    /** {@code {name?, replaceFailedNodes?}}: change a service's name or settings (at least one of them). */
    public record ServiceChanges(String name, Boolean replaceFailedNodes) {
    }

    /** {@code {type, name?}}: add a service to an application. */
    public record AddService(String type, String name) {
    }

    /** {@code {cloud?}}: start a service, optionally on a named cloud. */
    public record StartService(String cloud) {
    }

    /**
     * {@code {roles:{role:count}, cloud?, memoryMb?, cpuShares?}}: add nodes, sized per request where the cloud can
     * (LXC); any other cloud refuses a size.
     */
    public record AddNodes(Map<String, Integer> roles, String cloud, Integer memoryMb, Integer cpuShares) {
    }

    /** {@code {roles:{role:count}}}: remove nodes. */
    /** {@code {roles}} (counts per role, the type chooses which) or {@code {nodes}} (these node ids). */
    public record RemoveNodes(Map<String, Integer> roles, List<String> nodes) {
    }

    /** {@code {name, sizeMb, node}}: create a volume on a node. */
    public record CreateVolume(String name, Integer sizeMb, String node) {
    }

    /** A required field must be present; says which one is missing otherwise. */
    static <T> T required(T value, String field) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new InvalidInputException(field, field + " is required");
        }
        return value;
    }

}
