package org.conpaas.core.internal.security;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A password check through a JAAS realm, the one the Karaf shell (ssh, bin/client) also uses, so every door of
 * the director checks passwords alike (throttling included). Nothing is cached here: the realm makes repeated
 * checks cheap itself.
 */
public final class JaasPasswordLogin implements PasswordLogin {

    /** The realm the accounts register: one user table for the REST API, the shell and the web frontend. */
    public static final String REALM = "conpaas";
    private static final Logger LOG = LoggerFactory.getLogger(JaasPasswordLogin.class);

    private final String realm;
    private final Configuration configuration;
    private final ClassLoader loginModuleLoader;

    /**
     * In Karaf: the realm from the JVM-wide JAAS configuration (Karaf's, which serves the realms registered in
     * OSGi). Its login module class, Karaf's proxy, lives on the boot class path, so the system class loader is
     * the one that finds it, whatever the request thread's context class loader is.
     */
    public static JaasPasswordLogin karaf() {
        return new JaasPasswordLogin(REALM, null, ClassLoader.getSystemClassLoader());
    }

    /**
     * @param configuration the JAAS configuration; null for the JVM-wide one
     * @param loginModuleLoader where JAAS loads the realm's login module classes from
     */
    public JaasPasswordLogin(String realm, Configuration configuration, ClassLoader loginModuleLoader) {
        this.realm = realm;
        this.configuration = configuration;
        this.loginModuleLoader = loginModuleLoader;
    }

    @Override
    public boolean login(String username, char[] password) {
        LoginContext context;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loginModuleLoader);
        try {
            Subject subject = new Subject();
            context = configuration == null
                    ? new LoginContext(realm, subject, callbacks -> answer(callbacks, username, password))
                    : new LoginContext(realm, subject, callbacks -> answer(callbacks, username, password),
                            configuration);
        } catch (LoginException | SecurityException e) {
            throw new IllegalStateException("the login realm " + realm + " is not available: " + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
        try {
            context.login();
        } catch (LoginException e) {
            LOG.debug("login of {} refused: {}", username, e.getMessage());
            return false;
        }
        try {
            context.logout(); // nothing is kept: each request authenticates anew
        } catch (LoginException e) {
            LOG.debug("logout after the check of {} failed: {}", username, e.getMessage());
        }
        return true;
    }

    private static void answer(Callback[] callbacks, String username, char[] password)
            throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                name.setName(username);
            } else if (callback instanceof PasswordCallback secret) {
                secret.setPassword(password);
            } else {
                throw new UnsupportedCallbackException(callback, "only a name and a password are given");
            }
        }
    }
}
