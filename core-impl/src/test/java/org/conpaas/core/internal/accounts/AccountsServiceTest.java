package org.conpaas.core.internal.accounts;

import org.conpaas.core.internal.testing.MutableClock;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.conpaas.api.ConflictException;
import org.conpaas.api.ForbiddenException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.model.NewUser;
import org.conpaas.api.model.UserInfo;
import org.conpaas.core.internal.persistence.TestDatabase;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class AccountsServiceTest {
    private static final String PASSWORD = "correct horse battery";

    private Path folder;
    private TestDatabase db;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-02T03:04:05Z"));
    private final CountingHasher hasher = new CountingHasher();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private AccountsService accounts;

    @Before
    public void open() throws Exception {
        folder = Files.createTempDirectory("accounts-test");
        db = new TestDatabase(folder);
        accounts = service();
    }

    private AccountsService service() {
        return new AccountsService(db, 50, clock, hasher, new AdminPasswordFile(folder.resolve("conpaas")),
                new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    @After
    public void close() throws Exception {
        db.close();
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static NewUser user(String name, String email) {
        return new NewUser(name, email, PASSWORD, "Bo", "Builder", "VU", null, null);
    }

    private UserInfo create(String name) {
        return accounts.create(user(name, name + "@example.org"));
    }

    private String storedHash(String name) {
        return db.call(em -> em.createQuery("select u.passwordHash from UserEntity u where u.username = :n",
                String.class).setParameter("n", name).getSingleResult());
    }

    private void assertInvalid(String field, String message, NewUser input) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> accounts.create(input));
        assertEquals(field, e.parameter());
        assertTrue(e.getMessage(), e.getMessage().contains(message));
    }

    @Test
    public void createStoresAnArgon2idHashAndDefaults() {
        UserInfo bob = create("bob");
        assertEquals("bob", bob.username());
        assertEquals("bob@example.org", bob.email());
        assertEquals(50, bob.credit());
        assertEquals(Set.of("user"), bob.roles());
        assertEquals(clock.instant(), bob.created());
        assertEquals(bob, accounts.find("bob").orElseThrow());
        assertTrue(storedHash("bob").startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
        assertFalse(storedHash("bob").contains(PASSWORD));
        UserInfo admin = accounts.create(new NewUser("carol.x_1-2", " Carol@Example.ORG ", PASSWORD, null, null,
                null, 7L, Set.of("admin")));
        assertEquals(Set.of("admin", "user"), admin.roles());
        assertEquals(List.of("admin", "user"), List.copyOf(admin.roles()));
        assertEquals("carol@example.org", admin.email());
        assertEquals(7, admin.credit());
        assertTrue(accounts.isAdmin("carol.x_1-2"));
        assertFalse(accounts.isAdmin("bob"));
        assertEquals(List.of("bob", "carol.x_1-2"), accounts.list().stream().map(UserInfo::username).toList());
    }

    @Test
    public void badInputIs400NamingTheFieldAndCreatesNothing() {
        assertInvalid("username", "username is required", user(null, "a@b.org"));
        assertInvalid("username", "3 to 32", user("ab", "a@b.org"));
        assertInvalid("username", "3 to 32", user("a".repeat(33), "a@b.org"));
        assertInvalid("username", "3 to 32", user("Bob", "a@b.org"));
        assertInvalid("username", "3 to 32", user("bob smith", "a@b.org"));
        assertInvalid("username", "starting with a letter or digit", user("-bob", "a@b.org"));
        assertInvalid("username", "starting with a letter or digit", user("...", "a@b.org"));
        assertInvalid("email", "email is required", user("bob", " "));
        assertInvalid("email", "name@example.org", user("bob", "bob.example.org"));
        assertInvalid("email", "name@example.org", user("bob", "bob@x@example.org"));
        assertInvalid("email", "name@example.org", user("bob", "@example.org"));
        assertInvalid("email", "name@example.org", user("bob", "bob@"));
        assertInvalid("password", "at least 10 characters",
                new NewUser("bob", "b@x.org", "123456789", null, null, null, null, null));
        assertInvalid("password", "password is required",
                new NewUser("bob", "b@x.org", null, null, null, null, null, null));
        assertInvalid("credit", "credit must not be negative",
                new NewUser("bob", "b@x.org", PASSWORD, null, null, null, -1L, null));
        assertInvalid("roles", "unknown role 'root'",
                new NewUser("bob", "b@x.org", PASSWORD, null, null, null, null, Set.of("root")));
        assertInvalid("firstName", "at most 255",
                new NewUser("bob", "b@x.org", PASSWORD, "x".repeat(256), null, null, null, null));
        assertTrue(accounts.list().isEmpty());
        assertEquals("nothing hashed for refused input", 0, hasher.checks());
    }

    @Test
    public void takenNameOrEmailIs409() {
        create("bob");
        ConflictException name = assertThrows(ConflictException.class,
                () -> accounts.create(user("bob", "other@example.org")));
        assertEquals("username bob is taken", name.getMessage());
        ConflictException email = assertThrows(ConflictException.class,
                () -> accounts.create(user("robert", "BOB@example.org")));
        assertEquals("email bob@example.org is taken", email.getMessage());
        assertEquals(1, accounts.list().size());
    }

    @Test
    public void authenticationChecksTheHashAndThenUsesTheCache() {
        create("bob");
        assertEquals("bob", accounts.authenticate("bob", PASSWORD).orElseThrow().username());
        assertEquals(1, hasher.verifications.get());
        assertEquals("bob", accounts.authenticate("bob", PASSWORD).orElseThrow().username());
        assertEquals("the second login within 5 minutes costs no Argon2", 1, hasher.verifications.get());
        assertTrue(accounts.authenticate("bob", PASSWORD + "x").isEmpty());
        assertEquals("a different password is checked for real", 2, hasher.verifications.get());
        clock.advance(Duration.ofMinutes(5));
        assertTrue(accounts.authenticate("bob", PASSWORD).isPresent());
        assertEquals("after 5 minutes the hash is checked again", 3, hasher.verifications.get());
    }

    @Test
    public void callsArrivingTogetherShareOneVerification() throws Exception {
        create("bob");
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return accounts.checkPassword("bob", PASSWORD);
                }));
            }
            start.countDown();
            for (Future<Boolean> answer : answers) {
                assertTrue(answer.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals("one Argon2 check for eight simultaneous logins", 1, hasher.verifications.get());
    }

    @Test
    public void aRememberedPasswordIsAnsweredWithoutTheDatabaseButNotAfterDeletion() {
        create("bob");
        assertTrue(accounts.checkPassword("bob", PASSWORD));
        assertTrue(accounts.checkPassword("bob", PASSWORD));
        assertEquals(1, hasher.verifications.get());
        assertFalse(accounts.checkPassword("bob", PASSWORD + "x"));
        accounts.delete("bob");
        assertFalse(accounts.checkPassword("bob", PASSWORD));
    }

    @Test
    public void unknownUsersCostAFullCheckToo() {
        assertTrue(accounts.authenticate("nobody", PASSWORD).isEmpty());
        assertEquals(1, hasher.decoys.get());
        assertTrue(accounts.authenticate(null, PASSWORD).isEmpty());
        assertTrue(accounts.authenticate("nobody", null).isEmpty());
    }

    @Test
    public void repeatedFailuresAreThrottledEvenForTheRightPassword() {
        create("bob");
        for (int i = 0; i < 5; i++) {
            assertTrue(accounts.authenticate("bob", "wrong password " + i).isEmpty());
        }
        int checks = hasher.checks();
        assertTrue(accounts.authenticate("bob", PASSWORD).isEmpty());
        assertEquals("refused without checking", checks, hasher.checks());
        assertTrue("other users are unaffected", accounts.authenticate("nobody", "x").isEmpty()
                && hasher.checks() == checks + 1);
        clock.advance(Duration.ofSeconds(1));
        assertTrue(accounts.authenticate("bob", PASSWORD).isPresent());
        for (int i = 0; i < 5; i++) {
            assertTrue("success reset the count", accounts.authenticate("bob", "wrong again " + i).isEmpty());
        }
        assertEquals(checks + 1 + 1 + 5, hasher.checks());
    }

    @Test
    public void changingThePasswordNeedsTheOldOneAndDropsTheCache() {
        create("bob");
        assertTrue(accounts.authenticate("bob", PASSWORD).isPresent()); // cached now
        ForbiddenException wrong = assertThrows(ForbiddenException.class,
                () -> accounts.changePassword("bob", "not the password", "brand new password"));
        assertEquals("the current password is wrong", wrong.getMessage());
        InvalidInputException weak = assertThrows(InvalidInputException.class,
                () -> accounts.changePassword("bob", PASSWORD, "short"));
        assertEquals("newPassword", weak.parameter());
        String before = storedHash("bob");
        accounts.changePassword("bob", PASSWORD, "brand new password");
        assertFalse(before.equals(storedHash("bob")));
        int checks = hasher.verifications.get();
        assertTrue("the old password no longer works, not even from the cache",
                accounts.authenticate("bob", PASSWORD).isEmpty());
        assertEquals(checks + 1, hasher.verifications.get());
        assertTrue(accounts.authenticate("bob", "brand new password").isPresent());
    }

    @Test
    public void aChangedPasswordOrADeletionIsToldToTheListenersOnlyOnceItHappened() throws Exception {
        create("bob");
        create("carol");
        java.util.List<String> told = new java.util.ArrayList<>();
        AutoCloseable listening = accounts.onCredentialsChanged(told::add);
        assertThrows(ForbiddenException.class,
                () -> accounts.changePassword("bob", "not the password", "brand new password"));
        assertEquals("a refused change tells nobody", java.util.List.of(), told);
        accounts.changePassword("bob", PASSWORD, "brand new password");
        accounts.delete("carol");
        assertEquals(java.util.List.of("bob", "carol"), told);
        listening.close();
        accounts.changePassword("bob", "brand new password", "another new password");
        assertEquals(2, told.size());
    }

    @Test
    public void deletionIsSoftAndTheNameIsNeverReused() {
        create("bob");
        create("alice");
        assertTrue(accounts.authenticate("bob", PASSWORD).isPresent()); // cached
        accounts.delete("bob");
        assertTrue(accounts.find("bob").isEmpty());
        assertFalse(accounts.isAdmin("bob"));
        assertEquals(List.of("alice"), accounts.list().stream().map(UserInfo::username).toList());
        assertTrue("neither the cache nor the hash lets a deleted user in",
                accounts.authenticate("bob", PASSWORD).isEmpty());
        assertNull(storedHash("bob"));
        assertEquals("", db.call(em -> em.createQuery("select u.roles from UserEntity u where u.username = 'bob'",
                String.class).getSingleResult()));
        ConflictException reuse = assertThrows(ConflictException.class, () -> create("bob"));
        assertEquals("username bob was used before", reuse.getMessage());
        assertEquals("the email address is free again", "bob@example.org",
                accounts.create(user("robert", "bob@example.org")).email());
        accounts.delete("robert");
        assertThrows(NotFoundException.class, () -> accounts.delete("bob"));
        assertThrows(NotFoundException.class, () -> accounts.delete("nobody"));
        assertThrows(NotFoundException.class, () -> accounts.adjustCredit("bob", 1));
    }

    @Test
    public void creditChangesAddUpAndMayGoBelowZero() throws Exception {
        create("bob");
        assertEquals(60, accounts.adjustCredit("bob", 10).credit());
        assertEquals(-10, accounts.adjustCredit("bob", -70).credit());
        assertEquals(-10, accounts.find("bob").orElseThrow().credit());
        assertThrows(NotFoundException.class, () -> accounts.adjustCredit("nobody", 1));
        InvalidInputException huge = assertThrows(InvalidInputException.class,
                () -> accounts.adjustCredit("bob", Long.MAX_VALUE));
        assertEquals("delta", huge.parameter());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                long delta = i % 2 == 0 ? 3 : -1;
                done.add(pool.submit(() -> accounts.adjustCredit("bob", delta)));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals("no concurrent change is lost", -10 + 20 * 3 - 20, accounts.find("bob").orElseThrow().credit());
    }

    @Test
    public void theFirstStartCreatesAdminOnceWithAPrivatePasswordFile() throws Exception {
        assertTrue(accounts.ensureFirstAdmin());
        Path file = folder.resolve("conpaas").resolve("admin-password.txt");
        String password = Files.readString(file).strip();
        assertEquals(24, password.length());
        assertTrue(password.matches("[A-Za-z0-9]{24}"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String printed = console.toString(StandardCharsets.UTF_8);
        assertEquals("one line", 1, printed.lines().count());
        assertTrue(printed, printed.contains(password) && printed.contains(file.toString()));
        UserInfo admin = accounts.authenticate("admin", password).orElseThrow();
        assertEquals(Set.of("admin", "user"), admin.roles());
        assertEquals(50, admin.credit());

        assertFalse(accounts.ensureFirstAdmin());
        AccountsService restarted = service();
        assertFalse(restarted.ensureFirstAdmin());
        assertEquals("printed only once", printed, console.toString(StandardCharsets.UTF_8));
        assertEquals(password, Files.readString(file).strip());
        assertEquals(1, accounts.list().size());
    }

    @Test
    public void noAdminIsMadeUpWhenUsersExist() {
        create("bob");
        accounts.delete("bob");
        assertFalse("even a table of deleted users is not a first start", accounts.ensureFirstAdmin());
        assertTrue(accounts.find("admin").isEmpty());
        assertEquals("", console.toString(StandardCharsets.UTF_8));
    }
}
