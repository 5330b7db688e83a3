package org.conpaas.api;

/** A cloud refused or failed a request (launch, terminate, volumes). */
public class CloudException extends ConpaasException {
    private static final long serialVersionUID = 1L;

    public CloudException(String message) {
        super(message);
    }

    public CloudException(String message, Throwable cause) {
        super(message, cause);
    }
}
