package org.conpaas.api;

/** The caller is known but may not do this, e.g. a user calling an administrator's operation (HTTP 403). */
public class ForbiddenException extends ConpaasException {
    private static final long serialVersionUID = 1L;

    public ForbiddenException(String message) {
        super(message);
    }
}
