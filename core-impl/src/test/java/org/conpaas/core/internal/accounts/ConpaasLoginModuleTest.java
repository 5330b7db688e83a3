package org.conpaas.core.internal.accounts;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginContext;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.conpaas.api.model.NewUser;
import org.conpaas.core.internal.persistence.TestDatabase;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class ConpaasLoginModuleTest {
    private static final String PASSWORD = "correct horse battery";

    private Path folder;
    private TestDatabase db;
    private AccountsService accounts;
    private Configuration configuration;

    @Before
    public void open() throws Exception {
        folder = Files.createTempDirectory("jaas-test");
        db = new TestDatabase(folder);
        accounts = new AccountsService(db, 50, Clock.systemUTC(), new PasswordHasher(),
                new AdminPasswordFile(folder), new PrintStream(new ByteArrayOutputStream()));
        accounts.create(new NewUser("alice", "alice@example.org", PASSWORD, null, null, null, null, null));
        accounts.create(new NewUser("root", "root@example.org", PASSWORD, null, null, null, null, Set.of("admin")));
        configuration = inTestConfiguration(new ConpaasJaasRealm(accounts, 42, null));
    }

    @After
    public void close() throws Exception {
        db.close();
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * What Karaf's ProxyLoginModule does with the realm's entry, without OSGi: take the module class named in the
     * options, drop the proxy's own two options and hand the rest (with the accounts service) to the module.
     */
    private static Configuration inTestConfiguration(ConpaasJaasRealm realm) {
        AppConfigurationEntry proxied = realm.getEntries()[0];
        Map<String, Object> options = new HashMap<>(proxied.getOptions());
        String module = (String) options.remove(ProxyLoginModule.PROPERTY_MODULE);
        options.remove(ProxyLoginModule.PROPERTY_BUNDLE);
        AppConfigurationEntry direct = new AppConfigurationEntry(module, proxied.getControlFlag(), options);
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return realm.getName().equals(name) ? new AppConfigurationEntry[] {direct} : null;
            }
        };
    }

    private static CallbackHandler credentials(String username, String password) {
        return callbacks -> {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    name.setName(username);
                } else if (callback instanceof PasswordCallback secret) {
                    secret.setPassword(password.toCharArray());
                } else {
                    throw new UnsupportedCallbackException(callback);
                }
            }
        };
    }

    private LoginContext login(String username, String password) throws Exception {
        LoginContext context = new LoginContext("conpaas", new Subject(), credentials(username, password),
                configuration);
        context.login();
        return context;
    }

    private static Set<String> names(Subject subject, Class<? extends Principal> type) {
        return subject.getPrincipals(type).stream().map(Principal::getName).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    public void theRealmWrapsItsModuleLikeKarafsOwnRealms() {
        ConpaasJaasRealm realm = new ConpaasJaasRealm(accounts, 42, null);
        assertEquals("conpaas", realm.getName());
        AppConfigurationEntry[] entries = realm.getEntries();
        assertEquals(1, entries.length);
        assertEquals(ProxyLoginModule.class.getName(), entries[0].getLoginModuleName());
        assertEquals(AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, entries[0].getControlFlag());
        assertEquals(ConpaasLoginModule.class.getName(), entries[0].getOptions().get(ProxyLoginModule.PROPERTY_MODULE));
        assertEquals("42", entries[0].getOptions().get(ProxyLoginModule.PROPERTY_BUNDLE));
        assertEquals(accounts, entries[0].getOptions().get(ConpaasLoginModule.ACCOUNTS_OPTION));
    }

    @Test
    public void aUserGetsTheUserAndSshRoles() throws Exception {
        LoginContext context = login("alice", PASSWORD);
        Subject subject = context.getSubject();
        assertEquals(Set.of("alice"), names(subject, UserPrincipal.class));
        assertEquals(Set.of("ssh", "user"), names(subject, RolePrincipal.class));
        context.logout();
        assertTrue(subject.getPrincipals().isEmpty());
    }

    @Test
    public void anAdministratorAlsoGetsKarafsAdministrativeRoles() throws Exception {
        Subject subject = login("root", PASSWORD).getSubject();
        assertEquals(Set.of("root"), names(subject, UserPrincipal.class));
        assertEquals(Set.of("admin", "manager", "ssh", "systembundles", "user", "viewer"),
                names(subject, RolePrincipal.class));
    }

    @Test
    public void wrongPasswordsAndUnknownUsersFail() {
        for (String[] bad : new String[][] {{"alice", "wrong password!"}, {"nobody", PASSWORD}, {"alice", ""}}) {
            Subject subject = new Subject();
            FailedLoginException e = assertThrows(FailedLoginException.class, () -> new LoginContext("conpaas",
                    subject, credentials(bad[0], bad[1]), configuration).login());
            assertEquals("wrong username or password", e.getMessage());
            assertTrue(subject.getPrincipals().isEmpty());
        }
    }
}
