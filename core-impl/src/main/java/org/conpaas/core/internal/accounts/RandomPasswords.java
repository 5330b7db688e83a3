package org.conpaas.core.internal.accounts;

import java.security.SecureRandom;

/** Passwords made up for people: the first administrator's and those of users created without one. */
public final class RandomPasswords {
    /** Letters and digits only, so the password survives copying from a terminal and quoting in a shell. */
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    public static final int LENGTH = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomPasswords() {
    }

    /** 24 characters of 62, about 143 bits. */
    public static String generate() {
        StringBuilder password = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
