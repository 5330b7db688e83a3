package org.conpaas.api;

/** A service-specific operation or life-cycle step failed inside the service's manager (HTTP 500 with the reason). */
public class OperationFailedException extends ConpaasException {
    private static final long serialVersionUID = 1L;

    public OperationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
