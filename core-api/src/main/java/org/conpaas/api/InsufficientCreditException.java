package org.conpaas.api;

/** The user has no credit left for what they asked (HTTP 402). */
public class InsufficientCreditException extends ConpaasException {
    private static final long serialVersionUID = 1L;

    public InsufficientCreditException(String message) {
        super(message);
    }
}
