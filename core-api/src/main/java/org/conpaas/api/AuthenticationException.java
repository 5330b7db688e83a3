package org.conpaas.api;

/** The caller could not be authenticated (HTTP 401). Says nothing about which part of the credentials was wrong. */
public class AuthenticationException extends ConpaasException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message);
    }
}
