package org.conpaas.api;

/** An upload is not an archive of a supported kind (HTTP 415). */
public class UnsupportedArchiveException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public UnsupportedArchiveException(String parameter, String message) {
        super(parameter, message);
    }
}
