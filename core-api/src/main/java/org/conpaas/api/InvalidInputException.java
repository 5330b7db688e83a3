package org.conpaas.api;

/** The caller's input is invalid (HTTP 400). {@link #parameter()} names the offending parameter when there is one. */
public class InvalidInputException extends ConpaasException {
    private static final long serialVersionUID = 1L;
    private final String parameter;

    public InvalidInputException(String message) {
        this(null, message);
    }

    public InvalidInputException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
