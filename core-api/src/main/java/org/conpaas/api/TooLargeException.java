package org.conpaas.api;

/** An upload, or what it expands to, is over a configured limit (HTTP 413). */
public class TooLargeException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public TooLargeException(String parameter, String message) {
        super(parameter, message);
    }
}
