package org.conpaas.core.internal.accounts;

import java.io.IOException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.conpaas.api.model.UserInfo;

/**
 * The login module of the {@code conpaas} realm: checks a username and password against {@link Accounts} and
 * gives Karaf's principals. Every user gets the roles {@code user} and {@code ssh} (the shell's required role);
 * administrators also Karaf's {@code admin}, {@code manager}, {@code viewer} and {@code systembundles}, so the
 * Karaf commands guarded by those roles work for them. JAAS creates the module by its class name, so the accounts
 * service reaches it through the options ({@link #ACCOUNTS_OPTION}), never through a static field.
 */
public class ConpaasLoginModule implements LoginModule {
    public static final String ACCOUNTS_OPTION = "org.conpaas.accounts";
    static final List<String> USER_ROLES = List.of("user", "ssh");
    static final List<String> ADMIN_ROLES = List.of("admin", "manager", "viewer", "systembundles");

    private Subject subject;
    private CallbackHandler callbacks;
    private Accounts accounts;
    private UserInfo user;
    private final List<Principal> added = new ArrayList<>();

    @Override
    public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState,
            Map<String, ?> options) {
        this.subject = subject;
        this.callbacks = callbackHandler;
        Object service = options.get(ACCOUNTS_OPTION);
        this.accounts = service instanceof Accounts a ? a : null;
    }

    @Override
    public boolean login() throws LoginException {
        if (accounts == null) {
            throw new LoginException("the conpaas realm has no accounts service");
        }
        if (callbacks == null) {
            throw new LoginException("no callback handler to ask for the username and password");
        }
        NameCallback name = new NameCallback("Username: ");
        PasswordCallback password = new PasswordCallback("Password: ", false);
        try {
            callbacks.handle(new Callback[] {name, password});
        } catch (IOException | UnsupportedCallbackException e) {
            LoginException failure = new LoginException("cannot read the username and password: " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
        char[] secret = password.getPassword();
        password.clearPassword();
        if (name.getName() == null || secret == null) {
            throw new FailedLoginException("wrong username or password");
        }
        Optional<UserInfo> found = accounts.authenticate(name.getName(), new String(secret));
        Arrays.fill(secret, '\0');
        user = found.orElseThrow(() -> new FailedLoginException("wrong username or password"));
        return true;
    }

    @Override
    public boolean commit() {
        if (user == null) {
            return false;
        }
        added.add(new UserPrincipal(user.username()));
        USER_ROLES.forEach(role -> added.add(new RolePrincipal(role)));
        if (user.isAdmin()) {
            ADMIN_ROLES.forEach(role -> added.add(new RolePrincipal(role)));
        }
        subject.getPrincipals().addAll(added);
        return true;
    }

    @Override
    public boolean abort() {
        clear();
        return user != null;
    }

    @Override
    public boolean logout() {
        clear();
        return true;
    }

    private void clear() {
        if (subject != null && !subject.isReadOnly()) {
            subject.getPrincipals().removeAll(added);
        }
        added.clear();
        user = null;
    }
}
