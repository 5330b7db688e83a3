package org.conpaas.api.model;

import java.util.List;

/**
 * A service-specific operation. REST, the shell and the web frontend are generated from these.
 * {@code readOnly} operations change nothing and are allowed while the service is ADAPTING.
 */
public record OperationDescriptor(String name, String description, List<ParameterDescriptor> parameters,
        boolean readOnly) {

    public OperationDescriptor {
        parameters = List.copyOf(parameters);
    }

    /** Whether a parameter of this operation is a file (then REST takes multipart). */
    public boolean takesFiles() {
        return parameters.stream().anyMatch(p -> p.type() == ParameterType.FILE);
    }
}
