package org.conpaas.core.rest;

import org.conpaas.api.InvalidInputException;

/**
 * Parses numeric query parameters ourselves: JAX-RS would turn a non-number into a 404, which misleads clients.
 */
final class QueryValues {

    static final int MAX_WAIT_SECONDS = 3600;

    private QueryValues() {
    }

    /** {@code ?wait=<seconds>}, 0..3600; null when absent. */
    static Integer waitSeconds(String raw) {
        return bounded(raw, "wait", 0, MAX_WAIT_SECONDS);
    }

    /** {@code ?tail=<lines>}, 0 (all) when absent. */
    static int tail(String raw) {
        Integer tail = bounded(raw, "tail", 0, Integer.MAX_VALUE);
        return tail == null ? 0 : tail;
    }

    private static Integer bounded(String raw, String name, int min, int max) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException(name, name + " must be a whole number from " + min + " to " + max
                + ", not '" + raw + "'");
    }
}
