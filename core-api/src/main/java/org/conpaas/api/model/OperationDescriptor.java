package org.conpaas.api.model;

import java.util.List;

/**
 * A service-specific operation. REST, the shell and the web frontend are generated from these.
 * {@code readOnly} operations change nothing and are allowed while the service is ADAPTING.
 * {@code timeoutSeconds} above 0 makes the operation long-running: the call returns at once, the service is ADAPTING
 * while the operation runs in the background, and it is cut short after that many seconds (dumps, jobs, volumes).
 */
public record OperationDescriptor(String name, String description, List<ParameterDescriptor> parameters,
        boolean readOnly, int timeoutSeconds) {

    public OperationDescriptor {
        parameters = List.copyOf(parameters);
        if (timeoutSeconds < 0) {
            throw new IllegalArgumentException("timeoutSeconds must not be negative");
        }
        if (readOnly && timeoutSeconds > 0) {
            throw new IllegalArgumentException("a long-running operation changes the service, so it is not read-only");
        }
    }

    /** An operation that runs within the call. */
    public OperationDescriptor(String name, String description, List<ParameterDescriptor> parameters,
            boolean readOnly) {
        this(name, description, parameters, readOnly, 0);
    }

    /** An operation that runs in the background (ADAPTING) for at most {@code timeoutSeconds}. */
    public static OperationDescriptor longRunning(String name, String description,
            List<ParameterDescriptor> parameters, int timeoutSeconds) {
        if (timeoutSeconds <= 0) {
            throw new IllegalArgumentException("a long-running operation needs a timeout");
        }
        return new OperationDescriptor(name, description, parameters, false, timeoutSeconds);
    }

    /** Whether the operation runs in the background, the service ADAPTING meanwhile. */
    public boolean longRunning() {
        return timeoutSeconds > 0;
    }

    /** Whether a parameter of this operation is a file (then REST takes multipart). */
    public boolean takesFiles() {
        return parameters.stream().anyMatch(p -> p.type() == ParameterType.FILE);
    }
}
