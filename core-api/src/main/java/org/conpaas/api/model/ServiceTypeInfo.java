package org.conpaas.api.model;

import java.util.List;
import java.util.Map;

/** What a service type offers, as listed by {@code GET /service-types}. */
public record ServiceTypeInfo(String name, String description, List<String> roles, String defaultRole,
        Map<String, Integer> startingNodes, List<OperationDescriptor> operations, String version) {
}
