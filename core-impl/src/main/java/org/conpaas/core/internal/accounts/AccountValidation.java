package org.conpaas.core.internal.accounts;

import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.model.UserInfo;

/** The checks of account input; each failure is a 400 naming the field. */
final class AccountValidation {
    static final int MIN_PASSWORD = 10;
    /** Argon2 takes any length; the cap only keeps absurd inputs from costing memory. */
    static final int MAX_PASSWORD = 1024;
    static final long MAX_CREDIT_CHANGE = 1_000_000_000_000L;
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,31}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.][^@\\s]*");
    private static final Set<String> ROLES = Set.of(UserInfo.ROLE_USER, UserInfo.ROLE_ADMIN);

    private AccountValidation() {
    }

    static String username(String username) {
        required(username, "username");
        if (!USERNAME.matcher(username).matches()) {
            throw new InvalidInputException("username", "username must be 3 to 32 characters of a-z, 0-9, "
                    + "'.', '_' and '-', starting with a letter or digit (got '" + username + "')");
        }
        return username;
    }

    /** Trimmed and lower-cased, so the uniqueness check does not depend on how it was typed. */
    static String email(String email) {
        required(email, "email");
        String normalized = email.trim().toLowerCase(Locale.ROOT);
        if (normalized.length() > 254 || !EMAIL.matcher(normalized).matches() || normalized.endsWith(".")) {
            throw new InvalidInputException("email", "email must be an address like name@example.org (got '"
                    + email + "')");
        }
        return normalized;
    }

    static String password(String password, String field) {
        required(password, field);
        if (password.length() < MIN_PASSWORD) {
            throw new InvalidInputException(field, field + " must have at least " + MIN_PASSWORD + " characters");
        }
        if (password.length() > MAX_PASSWORD) {
            throw new InvalidInputException(field, field + " must have at most " + MAX_PASSWORD + " characters");
        }
        return password;
    }

    static long credit(Long credit, long otherwise) {
        if (credit == null) {
            return otherwise;
        }
        if (credit < 0) {
            throw new InvalidInputException("credit", "credit must not be negative");
        }
        return credit;
    }

    static long creditChange(long delta) {
        if (Math.abs(delta) > MAX_CREDIT_CHANGE) {
            throw new InvalidInputException("delta", "delta must be between -" + MAX_CREDIT_CHANGE + " and "
                    + MAX_CREDIT_CHANGE);
        }
        return delta;
    }

    /** Empty means {@code user}; every account has {@code user}, administrators also {@code admin}. */
    static SortedSet<String> roles(Set<String> roles) {
        SortedSet<String> checked = new TreeSet<>();
        checked.add(UserInfo.ROLE_USER);
        for (String role : roles == null ? Set.<String>of() : roles) {
            if (role == null || !ROLES.contains(role)) {
                throw new InvalidInputException("roles", "unknown role '" + role + "'; roles are user and admin");
            }
            checked.add(role);
        }
        return Collections.unmodifiableSortedSet(checked);
    }

    /** Optional free text: blank becomes null. */
    static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > 255) {
            throw new InvalidInputException(field, field + " must have at most 255 characters");
        }
        return value.strip();
    }

    private static void required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, field + " is required");
        }
    }
}
