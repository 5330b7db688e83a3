package org.conpaas.api.model;

import java.time.Instant;
import java.util.Set;

/** A user account as shown to the user and to administrators; never carries the password or its hash. */
public record UserInfo(String username, String email, String firstName, String lastName, String affiliation,
        long credit, Set<String> roles, Instant created) {

    public static final String ROLE_USER = "user";
    public static final String ROLE_ADMIN = "admin";

    public boolean isAdmin() {
        return roles.contains(ROLE_ADMIN);
    }
}
