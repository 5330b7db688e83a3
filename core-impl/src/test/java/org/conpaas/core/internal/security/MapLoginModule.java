package org.conpaas.core.internal.security;

import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

/** A JAAS login module over the passwords of {@link MapAccounts}, and a configuration with it as realm "conpaas". */
public final class MapLoginModule implements LoginModule {

    private CallbackHandler callbacks;
    private Map<String, String> passwords;

    /** A JAAS configuration whose only realm, {@code conpaas}, checks these passwords. */
    public static Configuration configuration(MapAccounts accounts) {
        AppConfigurationEntry entry = new AppConfigurationEntry(MapLoginModule.class.getName(),
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of("passwords", accounts.passwords()));
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return JaasPasswordLogin.REALM.equals(name) ? new AppConfigurationEntry[] {entry} : null;
            }
        };
    }

    public static JaasPasswordLogin login(MapAccounts accounts) {
        return new JaasPasswordLogin(JaasPasswordLogin.REALM, configuration(accounts),
                MapLoginModule.class.getClassLoader());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState,
            Map<String, ?> options) {
        this.callbacks = handler;
        this.passwords = (Map<String, String>) options.get("passwords");
    }

    @Override
    public boolean login() throws LoginException {
        NameCallback name = new NameCallback("user");
        PasswordCallback password = new PasswordCallback("password", false);
        try {
            callbacks.handle(new Callback[] {name, password});
        } catch (Exception e) {
            throw new LoginException(e.getMessage());
        }
        String expected = passwords.get(name.getName());
        if (expected == null || !expected.equals(new String(password.getPassword()))) {
            throw new FailedLoginException("wrong password");
        }
        return true;
    }

    @Override
    public boolean commit() {
        return true;
    }

    @Override
    public boolean abort() {
        return true;
    }

    @Override
    public boolean logout() {
        return true;
    }
}
