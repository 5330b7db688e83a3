package org.conpaas.core.internal.accounts;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import javax.persistence.EntityManager;
import org.conpaas.api.ConflictException;
import org.conpaas.api.ForbiddenException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.model.NewUser;
import org.conpaas.api.model.UserInfo;
import org.conpaas.core.internal.director.DirectorConfig;
import org.conpaas.core.internal.persistence.Transactions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user table: validation, Argon2id password hashes, throttled and cached authentication, credit, soft deletion.
 * At the first start (empty table) it creates the administrator {@code admin} with a random password.
 */
@Component(service = Accounts.class, immediate = true, configurationPid = "org.conpaas.director")
public class AccountsService implements Accounts {
    private static final Logger LOG = LoggerFactory.getLogger(AccountsService.class);
    public static final String FIRST_ADMIN = "admin";

    private final Transactions tx;
    private final Clock clock;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final CredentialCache cache;
    private final java.util.List<java.util.function.Consumer<String>> credentialListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AdminPasswordFile adminPasswordFile;
    private final PrintStream console;
    /** Check-then-insert of a new name or email must not interleave with another creation. */
    private final Object creation = new Object();
    /** Locks of the slow password verifications, by username hash (see {@link #checkPassword}). */
    private final Object[] verifications = new Object[64];
    private volatile long startingCredit;

    @Activate
    public AccountsService(DirectorConfig config, @Reference Transactions tx) {
        this(tx, config.defaultStartingCredit(), Clock.systemUTC(), new PasswordHasher(),
                new AdminPasswordFile(dataDir(config)), System.out);
        ensureFirstAdmin();
    }

    public AccountsService(Transactions tx, long startingCredit, Clock clock, PasswordHasher hasher,
            AdminPasswordFile adminPasswordFile, PrintStream console) {
        this.tx = tx;
        this.startingCredit = startingCredit;
        this.clock = clock;
        this.hasher = hasher;
        this.throttle = new LoginThrottle(clock);
        this.cache = new CredentialCache(clock);
        this.adminPasswordFile = adminPasswordFile;
        this.console = console;
        for (int i = 0; i < verifications.length; i++) {
            verifications[i] = new Object();
        }
    }

    /** A changed configuration only changes the starting credit; throttling and cached logins survive it. */
    @Modified
    void modified(DirectorConfig config) {
        startingCredit = config.defaultStartingCredit();
    }

    private static Path dataDir(DirectorConfig config) {
        return config.dataDir().isBlank()
                ? Paths.get(System.getProperty("karaf.data", "data"), "conpaas")
                : Paths.get(config.dataDir());
    }

    /**
     * Creates {@code admin} with a random password when the user table is empty (deleted rows count, so this
     * happens once per database). The password is printed once and written to a file only its owner can read.
     *
     * @return whether the administrator was created now
     */
    public boolean ensureFirstAdmin() {
        synchronized (creation) {
            long rows = tx.call(em -> em.createQuery("select count(u) from UserEntity u", Long.class)
                    .getSingleResult());
            if (rows > 0) {
                return false;
            }
            String password = RandomPasswords.generate();
            String hash = hasher.hash(password);
            tx.run(em -> em.persist(new UserEntity(FIRST_ADMIN, null, null, null, null, startingCredit,
                    AccountValidation.roles(Set.of(UserInfo.ROLE_ADMIN)), hash, clock.instant())));
            String where;
            try {
                adminPasswordFile.write(password);
                where = "it is also in " + adminPasswordFile.path() + " (readable by this OS user only)";
            } catch (UncheckedIOException e) {
                LOG.error("could not write the first administrator's password file", e);
                where = "it could NOT be written to " + adminPasswordFile.path() + ", note it now";
            }
            console.println("ConPaaS first start: created the administrator '" + FIRST_ADMIN + "' with password "
                    + password + " ; " + where + ". Change it with cps:user-password.");
            LOG.info("first start: created the administrator '{}'; its password is in {}", FIRST_ADMIN,
                    adminPasswordFile.path());
            return true;
        }
    }

    @Override
    public Optional<UserInfo> find(String username) {
        if (username == null || username.isBlank()) {
            return Optional.empty();
        }
        return tx.call(em -> live(em, username)).map(UserEntity::info);
    }

    @Override
    public UserInfo create(NewUser user) {
        if (user == null) {
            throw new InvalidInputException("a user is required");
        }
        String username = AccountValidation.username(user.username());
        String email = AccountValidation.email(user.email());
        String password = AccountValidation.password(user.password(), "password");
        String firstName = AccountValidation.text(user.firstName(), "firstName");
        String lastName = AccountValidation.text(user.lastName(), "lastName");
        String affiliation = AccountValidation.text(user.affiliation(), "affiliation");
        long credit = AccountValidation.credit(user.credit(), startingCredit);
        SortedSet<String> roles = AccountValidation.roles(user.roles());
        String hash = hasher.hash(password); // slow: done before taking the lock
        synchronized (creation) {
            return tx.call(em -> {
                Optional<UserEntity> existing = any(em, username);
                if (existing.isPresent()) {
                    throw new ConflictException(existing.get().isDeleted()
                            ? "username " + username + " was used before"
                            : "username " + username + " is taken");
                }
                boolean emailTaken = !em.createQuery("select u.id from UserEntity u where u.email = :email")
                        .setParameter("email", email).getResultList().isEmpty();
                if (emailTaken) {
                    throw new ConflictException("email " + email + " is taken");
                }
                UserEntity entity = new UserEntity(username, email, firstName, lastName, affiliation, credit, roles,
                        hash, clock.instant());
                em.persist(entity);
                LOG.info("user {} created (roles {})", username, roles);
                return entity.info();
            });
        }
    }

    @Override
    public List<UserInfo> list() {
        return tx.call(em -> em.createQuery(
                "select u from UserEntity u where u.deleted = false order by u.username", UserEntity.class)
                .getResultList().stream().map(UserEntity::info).toList());
    }

    @Override
    public UserInfo adjustCredit(String username, long delta) {
        AccountValidation.creditChange(delta);
        return tx.call(em -> {
            // one statement, so concurrent changes (an administrator's and a charge) add up instead of racing
            int changed = em.createQuery("update UserEntity u set u.credit = u.credit + :delta "
                    + "where u.username = :name and u.deleted = false")
                    .setParameter("delta", delta).setParameter("name", username).executeUpdate();
            if (changed == 0) {
                throw notFound(username);
            }
            return live(em, username).orElseThrow(() -> notFound(username)).info();
        });
    }

    @Override
    public void changePassword(String username, String oldPassword, String newPassword) {
        AccountValidation.password(newPassword, "newPassword");
        if (oldPassword == null || oldPassword.isEmpty()) {
            throw new InvalidInputException("oldPassword", "oldPassword is required");
        }
        if (!throttle.allows(username)) {
            throw new ForbiddenException("too many wrong passwords for " + username + "; try again later");
        }
        if (authenticate(username, oldPassword).isEmpty()) {
            throw new ForbiddenException("the current password is wrong");
        }
        String hash = hasher.hash(newPassword);
        tx.run(em -> live(em, username).orElseThrow(() -> notFound(username)).setPasswordHash(hash));
        cache.forget(username);
        credentialsChanged(username);
        LOG.info("user {} changed their password", username);
    }

    @Override
    public AutoCloseable onCredentialsChanged(java.util.function.Consumer<String> listener) {
        credentialListeners.add(listener);
        return () -> credentialListeners.remove(listener);
    }

    private void credentialsChanged(String username) {
        for (java.util.function.Consumer<String> listener : credentialListeners) {
            try {
                listener.accept(username);
            } catch (RuntimeException e) {
                LOG.warn("a listener of changed credentials failed for user {}", username, e);
            }
        }
    }

    @Override
    public void delete(String username) {
        tx.run(em -> live(em, username).orElseThrow(() -> notFound(username)).markDeleted());
        cache.forget(username);
        throttle.succeeded(username);
        credentialsChanged(username);
        LOG.info("user {} deleted", username);
    }

    @Override
    public Optional<UserInfo> authenticate(String username, String password) {
        return checkPassword(username, password) ? find(username) : Optional.empty();
    }

    /**
     * A remembered pair answers without the database or Argon2 (the REST API's path for every call). Otherwise one
     * verification per username runs at a time: the calls of one client that arrive together (16 connections right
     * after boot) wait for the first one's result instead of each paying Argon2 on two cores; and guesses at one name
     * are checked one after the other, so the throttle sees each failure before the next guess.
     */
    @Override
    public boolean checkPassword(String username, String password) {
        if (username == null || password == null || username.isEmpty()) {
            return false;
        }
        if (!throttle.allows(username)) {
            LOG.debug("login of {} refused: too many recent failures", username);
            return false;
        }
        if (cache.matches(username, password)) {
            throttle.succeeded(username);
            return true;
        }
        synchronized (verifications[Math.floorMod(username.hashCode(), verifications.length)]) {
            if (!throttle.allows(username)) {
                LOG.debug("login of {} refused: too many recent failures", username);
                return false;
            }
            if (cache.matches(username, password)) {
                return true;
            }
            long generation = cache.generation();
            Optional<UserEntity> user = tx.call(em -> live(em, username));
            boolean right = user.map(u -> hasher.verify(password, u.getPasswordHash()))
                    .orElseGet(() -> hasher.verifyNothing(password));
            if (!right) {
                throttle.failed(username);
                LOG.info("failed login of {}", username);
                return false;
            }
            throttle.succeeded(username);
            cache.remember(username, password, generation);
            return true;
        }
    }

    private static Optional<UserEntity> live(EntityManager em, String username) {
        return any(em, username).filter(u -> !u.isDeleted());
    }

    private static Optional<UserEntity> any(EntityManager em, String username) {
        return em.createQuery("select u from UserEntity u where u.username = :name", UserEntity.class)
                .setParameter("name", username).getResultList().stream().findFirst();
    }

    private static NotFoundException notFound(String username) {
        return new NotFoundException("user " + username + " not found");
    }
}
