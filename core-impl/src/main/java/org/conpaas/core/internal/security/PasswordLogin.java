package org.conpaas.core.internal.security;

/** Checks a user name and password. */
public interface PasswordLogin {

    /**
     * True when the password is right; false when the name or the password is wrong (the caller must not tell
     * which). Throws {@link IllegalStateException} when logins cannot be checked at all.
     */
    boolean login(String username, char[] password);
}
