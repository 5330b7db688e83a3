package org.conpaas.service.support.json;

/** A text that is not JSON; the message says what was wrong and at which character. */
public final class JsonSyntaxException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    JsonSyntaxException(String what, int at) {
        super(what + " at character " + at);
    }
}
