package org.conpaas.core.internal.credit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.model.NewUser;
import org.conpaas.api.model.UserInfo;
import org.conpaas.core.internal.accounts.Accounts;

/** Users and their credit in a map; it outlives a CreditService, like the user table outlives a director. */
final class InMemoryAccounts implements Accounts {
    private final Map<String, UserInfo> users = new ConcurrentHashMap<>();
    /** How many of the next credit changes fail, as a broken database would. */
    final AtomicInteger failNext = new AtomicInteger();

    InMemoryAccounts with(String username, long credit) {
        users.put(username, new UserInfo(username, username + "@example.org", null, null, null, credit,
                Set.of(UserInfo.ROLE_USER), Instant.EPOCH));
        return this;
    }

    long credit(String username) {
        return users.get(username).credit();
    }

    @Override
    public Optional<UserInfo> find(String username) {
        return Optional.ofNullable(users.get(username));
    }

    @Override
    public UserInfo adjustCredit(String username, long delta) {
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("the user table is not available");
        }
        return users.compute(username, (name, u) -> {
            if (u == null) {
                throw new NotFoundException("user " + name + " not found");
            }
            return new UserInfo(name, u.email(), null, null, null, u.credit() + delta, u.roles(), u.created());
        });
    }

    @Override
    public UserInfo create(NewUser user) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<UserInfo> list() {
        return List.copyOf(users.values());
    }

    @Override
    public void changePassword(String username, String oldPassword, String newPassword) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void delete(String username) {
        users.remove(username);
    }

    @Override
    public Optional<UserInfo> authenticate(String username, String password) {
        throw new UnsupportedOperationException();
    }
}
