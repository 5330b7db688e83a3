package org.conpaas.core.internal.director;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.conpaas.api.ConflictException;
import org.conpaas.api.ForbiddenException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.model.Charge;
import org.conpaas.api.model.NewUser;
import org.conpaas.api.model.UserInfo;
import org.conpaas.core.internal.accounts.Accounts;
import org.conpaas.core.internal.credit.Credits;
import org.conpaas.core.internal.persistence.Store;
import org.conpaas.core.internal.security.UserCertificates;

/** Accounts, credit and certificates, each call checking that the caller may make it. */
final class AccountOperations {
    private final Store store;
    private final Accounts accounts;
    private final Credits credits;
    private final UserCertificates certificates;
    private final Supplier<DirectorService.Registration> registration;
    private final ServiceLifecycle lifecycle;

    AccountOperations(Store store, Accounts accounts, Credits credits, UserCertificates certificates,
            Supplier<DirectorService.Registration> registration, ServiceLifecycle lifecycle) {
        this.store = store;
        this.accounts = accounts;
        this.credits = credits;
        this.certificates = certificates;
        this.registration = registration;
        this.lifecycle = lifecycle;
    }

    UserInfo create(String caller, NewUser user) {
        requireAdmin(caller, "create users");
        return accounts.create(user);
    }

    UserInfo register(NewUser user) {
        DirectorService.Registration settings = registration.get();
        if (!settings.open()) {
            throw new ForbiddenException("self-registration is switched off; ask an administrator for an account");
        }
        if (user == null) {
            throw new InvalidInputException("a user is required");
        }
        if (user.credit() != null && user.credit() > settings.maxStartingCredit()) {
            throw new InvalidInputException("credit", "Cannot allocate " + user.credit()
                    + " credit for a new user (max credit " + settings.maxStartingCredit() + ").");
        }
        // Whatever roles the body asks for, a self-registered account is a plain user.
        return accounts.create(new NewUser(user.username(), user.email(), user.password(), user.firstName(),
                user.lastName(), user.affiliation(), user.credit(), Set.of(UserInfo.ROLE_USER)));
    }

    List<UserInfo> list(String caller) {
        requireAdmin(caller, "list users");
        return accounts.list();
    }

    UserInfo get(String caller, String username) {
        requireSelfOrAdmin(caller, username);
        return accounts.find(username).orElseThrow(() -> new NotFoundException("user " + username + " not found"));
    }

    UserInfo addCredit(String caller, String username, long delta) {
        requireAdmin(caller, "change credit");
        // One transaction (the nested calls join it), so the credit never changes without its ledger line.
        return store.tx(em -> {
            UserInfo changed = accounts.adjustCredit(username, delta);
            credits.creditAdded(username, delta, changed.credit(), caller);
            return changed;
        });
    }

    void changePassword(String caller, String oldPassword, String newPassword) {
        accounts.changePassword(caller, oldPassword, newPassword);
    }

    void delete(String caller, String username) {
        requireAdmin(caller, "delete users");
        if (caller.equals(username)) {
            throw new ConflictException("administrators cannot delete themselves");
        }
        accounts.find(username).orElseThrow(() -> new NotFoundException("user " + username + " not found"));
        lifecycle.stopAllOf(username, "the user was deleted");
        accounts.delete(username);
    }

    List<Charge> charges(String caller, String username) {
        requireSelfOrAdmin(caller, username);
        return credits.charges(username);
    }

    byte[] certificate(String caller) {
        UserInfo user = accounts.find(caller).orElseThrow(() -> new NotFoundException("user " + caller
                + " not found"));
        return certificates.issueZip(user);
    }

    private void requireAdmin(String caller, String action) {
        if (!accounts.isAdmin(caller)) {
            throw new ForbiddenException("only administrators may " + action);
        }
    }

    /** Another user's account answers 404, like a missing one, unless the caller is an administrator. */
    private void requireSelfOrAdmin(String caller, String username) {
        if (!caller.equals(username) && !accounts.isAdmin(caller)) {
            throw new NotFoundException("user " + username + " not found");
        }
    }
}
