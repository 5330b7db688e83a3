package org.conpaas.api;

/**
 * The director is still starting (settling what its previous run left in flight) and does not take requests yet
 * (HTTP 503 with {@code Retry-After}; the shell says so in one sentence).
 */
public class StartingException extends ConpaasException {
    private static final long serialVersionUID = 1L;
    /** Seconds after which a client may try again. */
    public static final int RETRY_AFTER_SECONDS = 5;

    public StartingException() {
        super("the director is starting (settling what its last run left in flight); try again in a few seconds");
    }
}
