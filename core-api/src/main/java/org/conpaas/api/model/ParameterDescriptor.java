package org.conpaas.api.model;

/** One typed parameter of a service-specific operation. */
public record ParameterDescriptor(String name, ParameterType type, boolean required, String description) {

    public static ParameterDescriptor required(String name, ParameterType type, String description) {
        return new ParameterDescriptor(name, type, true, description);
    }

    public static ParameterDescriptor optional(String name, ParameterType type, String description) {
        return new ParameterDescriptor(name, type, false, description);
    }
}
