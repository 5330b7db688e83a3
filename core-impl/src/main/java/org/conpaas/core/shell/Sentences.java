package org.conpaas.core.shell;

import org.conpaas.api.ConpaasException;

/** Makes one readable sentence of a domain error for the console. */
final class Sentences {

    private Sentences() {
    }

    static String of(ConpaasException e) {
        return capitalized(e.getMessage() == null || e.getMessage().isBlank()
                ? e.getClass().getSimpleName() : e.getMessage());
    }

    /** Starts with a capital and ends with a full stop. */
    static String capitalized(String message) {
        String text = message == null || message.isBlank() ? "The operation failed" : message.strip();
        String sentence = Character.toUpperCase(text.charAt(0)) + text.substring(1);
        return sentence.endsWith(".") ? sentence : sentence + ".";
    }
}
