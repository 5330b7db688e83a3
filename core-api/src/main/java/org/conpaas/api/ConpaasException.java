package org.conpaas.api;

/** Base of the domain errors; each subclass maps to one clear HTTP status and shell sentence. */
public abstract class ConpaasException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected ConpaasException(String message) {
        super(message);
    }

    protected ConpaasException(String message, Throwable cause) {
        super(message, cause);
    }
}
