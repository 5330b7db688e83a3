package org.conpaas.api;

/** The request conflicts with the current state of the platform (HTTP 409), e.g. a duplicate name. */
public class ConflictException extends ConpaasException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
