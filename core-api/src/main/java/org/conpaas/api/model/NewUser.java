package org.conpaas.api.model;

import java.util.Set;

/**
 * What creating a user takes. {@code credit} null means the configured starting credit; {@code roles} null or
 * empty means {@code user}.
 */
public record NewUser(String username, String email, String password, String firstName, String lastName,
        String affiliation, Long credit, Set<String> roles) {
}
