package org.conpaas.api;

/** The service's type bundle is not installed (any more); the service keeps its data (HTTP 409). */
public class TypeNotInstalledException extends ConflictException {
    private static final long serialVersionUID = 1L;
    private final String type;

    public TypeNotInstalledException(String type) {
        super("service type " + type + " is not installed");
        this.type = type;
    }

    public String type() {
        return type;
    }
}
