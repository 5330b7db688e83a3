package org.conpaas.service.php;

/** PHP-specific names of the manager↔agent contract (the shared ones are in WebOperations). */
public final class PhpOperations {

    /** Agent operations. */
    public static final String START_SESSION_STORE = "start_session_store";
    public static final String STOP_SESSION_STORE = "stop_session_store";

    /** start_backend parameters besides the port. */
    public static final String SESSIONS = "sessions";
    public static final String PHPCONF = "phpconf";

    public static final int SESSION_STORE_PORT = 11211;

    private PhpOperations() {
    }
}
