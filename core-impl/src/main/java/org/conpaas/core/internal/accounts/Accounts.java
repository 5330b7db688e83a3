package org.conpaas.core.internal.accounts;

import java.util.List;
import java.util.Optional;
import org.conpaas.api.model.NewUser;
import org.conpaas.api.model.UserInfo;

/**
 * The user table. Usernames are the owner ids of applications; a deleted user's name is never given out again,
 * so nothing of theirs (objects, certificates) can pass to a newcomer.
 */
public interface Accounts {

    /** A live (not deleted) user. */
    Optional<UserInfo> find(String username);

    default boolean isAdmin(String username) {
        return find(username).map(UserInfo::isAdmin).orElse(false);
    }

    /** Validates, hashes the password and stores the user; 400 for bad input, 409 for a taken name or email. */
    UserInfo create(NewUser user);

    List<UserInfo> list();

    /** Changes the credit by {@code delta} in one transaction; returns the user with the new balance. */
    UserInfo adjustCredit(String username, long delta);

    void changePassword(String username, String oldPassword, String newPassword);

    /**
     * Calls {@code listener} with a username after its password changed or the user was deleted, so that what was
     * granted with the old credentials (the web console's sessions) ends; returns the handle that stops the calls.
     */
    default AutoCloseable onCredentialsChanged(java.util.function.Consumer<String> listener) {
        return () -> { };
    }

    void delete(String username);

    /** Checks a password (throttled after repeated failures); the user when it is right, empty otherwise. */
    Optional<UserInfo> authenticate(String username, String password);

    /**
     * Like {@link #authenticate} (same throttle), but answers only whether the password is right; a recently verified
     * pair is answered from memory, without reading the user (a deletion or password change forgets it).
     */
    default boolean checkPassword(String username, String password) {
        return authenticate(username, password).isPresent();
    }
}
