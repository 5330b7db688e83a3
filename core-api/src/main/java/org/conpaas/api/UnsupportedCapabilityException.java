package org.conpaas.api;

/** A cloud or a service type lacks a capability the caller asked for (HTTP 409). */
public class UnsupportedCapabilityException extends ConflictException {
    private static final long serialVersionUID = 1L;

    public UnsupportedCapabilityException(String message) {
        super(message);
    }
}
