package org.conpaas.api;

/** The named object does not exist, or belongs to another user (HTTP 404). */
public class NotFoundException extends ConpaasException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }
}
