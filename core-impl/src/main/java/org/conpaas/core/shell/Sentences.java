package org.conpaas.core.shell;

import org.conpaas.api.ConpaasException;

/** Makes one readable sentence of a domain error for the console. */
final class Sentences {

    private Sentences() {
    }

    static String of(ConpaasException e) {
        String message = e.getMessage() == null || e.getMessage().isBlank()
                ? e.getClass().getSimpleName() : e.getMessage().strip();
        String sentence = Character.toUpperCase(message.charAt(0)) + message.substring(1);
        return sentence.endsWith(".") ? sentence : sentence + ".";
    }
}
