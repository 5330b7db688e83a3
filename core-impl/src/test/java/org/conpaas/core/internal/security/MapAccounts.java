package org.conpaas.core.internal.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.conpaas.api.model.NewUser;
import org.conpaas.api.model.UserInfo;
import org.conpaas.core.internal.accounts.Accounts;

/** Accounts in a map, with plain passwords: enough for the authentication tests. */
public final class MapAccounts implements Accounts {

    private final Map<String, UserInfo> users = new ConcurrentHashMap<>();
    private final Map<String, String> passwords = new ConcurrentHashMap<>();

    public MapAccounts add(String username, String password, String... roles) {
        users.put(username, new UserInfo(username, username + "@example.org", null, null, null, 50,
                Set.of(roles.length == 0 ? new String[] {UserInfo.ROLE_USER} : roles), Instant.EPOCH));
        passwords.put(username, password);
        return this;
    }

    public Map<String, String> passwords() {
        return passwords;
    }

    @Override
    public Optional<UserInfo> find(String username) {
        return Optional.ofNullable(users.get(username));
    }

    @Override
    public UserInfo create(NewUser user) {
        add(user.username(), user.password());
        return users.get(user.username());
    }

    @Override
    public List<UserInfo> list() {
        return List.copyOf(users.values());
    }

    @Override
    public UserInfo adjustCredit(String username, long delta) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void changePassword(String username, String oldPassword, String newPassword) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void delete(String username) {
        users.remove(username);
        passwords.remove(username);
    }

    @Override
    public Optional<UserInfo> authenticate(String username, String password) {
        return password != null && password.equals(passwords.get(username)) ? find(username) : Optional.empty();
    }
}
