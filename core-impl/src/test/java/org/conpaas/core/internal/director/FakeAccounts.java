package org.conpaas.core.internal.director;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.model.NewUser;
import org.conpaas.api.model.UserInfo;
import org.conpaas.core.internal.accounts.Accounts;

/** Users in a map: alice and bob are users, root is an administrator. */
final class FakeAccounts implements Accounts {
    final Map<String, UserInfo> users = new ConcurrentHashMap<>();

    FakeAccounts() {
        put("alice", 50, UserInfo.ROLE_USER);
        put("bob", 50, UserInfo.ROLE_USER);
        put("root", 50, UserInfo.ROLE_ADMIN);
    }

    private UserInfo put(String name, long credit, String role) {
        UserInfo user = new UserInfo(name, name + "@example.org", null, null, null, credit, Set.of(role),
                Instant.EPOCH);
        users.put(name, user);
        return user;
    }

    @Override
    public Optional<UserInfo> find(String username) {
        return Optional.ofNullable(users.get(username));
    }

    @Override
    public UserInfo create(NewUser user) {
        return put(user.username(), user.credit() == null ? 50 : user.credit(), UserInfo.ROLE_USER);
    }

    @Override
    public List<UserInfo> list() {
        return List.copyOf(users.values());
    }

    @Override
    public UserInfo adjustCredit(String username, long delta) {
        UserInfo u = find(username).orElseThrow(() -> new NotFoundException(username));
        return put(username, u.credit() + delta, u.roles().iterator().next());
    }

    @Override
    public void changePassword(String username, String oldPassword, String newPassword) {
    }

    @Override
    public void delete(String username) {
        users.remove(username);
    }

    @Override
    public Optional<UserInfo> authenticate(String username, String password) {
        return find(username);
    }
}
