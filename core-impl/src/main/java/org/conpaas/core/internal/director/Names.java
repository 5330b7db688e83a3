package org.conpaas.core.internal.director;

import org.conpaas.api.InvalidInputException;

/** Rules for the names users give applications and services. */
final class Names {
    static final int MAX_LENGTH = 255;

    private Names() {
    }

    static String check(String field, String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException(field, "the " + field + " must not be empty");
        }
        String trimmed = name.strip();
        if (trimmed.length() > MAX_LENGTH) {
            throw new InvalidInputException(field, "the " + field + " is longer than " + MAX_LENGTH + " characters");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException(field, "the " + field + " must not contain control characters");
        }
        return trimmed;
    }
}
