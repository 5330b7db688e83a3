package org.conpaas.core.internal.web;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.conpaas.core.internal.testing.MutableClock;
import org.junit.Test;

/** Sessions end when idle too long, after their maximum age, or at logout; their number is bounded. */
public class WebSessionsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final WebSessions sessions = new WebSessions(
            new WebSessions.Settings(Duration.ofMinutes(30), Duration.ofHours(2), 3, false), clock);

    @Test
    public void aSessionLivesWhileUsedAndEndsWhenIdle() {
        WebSessions.Session s = sessions.open("alice");
        assertNotEquals(s.id(), s.csrfToken());
        assertTrue(s.id().length() >= 43); // 256 random bits
        clock.advance(Duration.ofMinutes(29));
        assertEquals("alice", sessions.use(s.id()).orElseThrow().username());
        clock.advance(Duration.ofMinutes(29)); // used 29 minutes ago: still alive
        assertTrue(sessions.use(s.id()).isPresent());
        clock.advance(Duration.ofMinutes(30));
        assertFalse("idle for 30 minutes", sessions.use(s.id()).isPresent());
        assertFalse(sessions.use(s.id()).isPresent());
    }

    @Test
    public void aSessionEndsAtItsMaximumAgeEvenWhenUsed() {
        WebSessions.Session s = sessions.open("alice");
        for (int i = 0; i < 7; i++) {
            clock.advance(Duration.ofMinutes(17));
            assertTrue(sessions.use(s.id()).isPresent());
        }
        clock.advance(Duration.ofMinutes(1)); // 2 h after login
        assertFalse(sessions.use(s.id()).isPresent());
    }

    @Test
    public void logoutAndUnknownIds() {
        WebSessions.Session s = sessions.open("alice");
        sessions.close(s.id());
        assertFalse(sessions.use(s.id()).isPresent());
        assertFalse(sessions.use("").isPresent());
        assertFalse(sessions.use(null).isPresent());
        assertFalse(sessions.use("guess").isPresent());
        sessions.close(null);
    }

    @Test
    public void theCsrfTokenMustMatchExactly() {
        WebSessions.Session s = sessions.open("alice");
        assertTrue(WebSessions.csrfMatches(s, s.csrfToken()));
        assertFalse(WebSessions.csrfMatches(s, null));
        assertFalse(WebSessions.csrfMatches(s, ""));
        assertFalse(WebSessions.csrfMatches(s, s.csrfToken() + "x"));
        assertFalse(WebSessions.csrfMatches(s, sessions.open("alice").csrfToken()));
    }

    @Test
    public void openSessionsAreBoundedAndExpiredOnesMakeRoom() {
        sessions.open("a");
        sessions.open("b");
        WebSessions.Session c = sessions.open("c");
        assertThrows(WebSessions.TooManySessions.class, () -> sessions.open("d"));
        clock.advance(Duration.ofMinutes(31));
        sessions.open("d");
        assertEquals(1, sessions.size());
        assertFalse(sessions.use(c.id()).isPresent());
    }

    @Test
    public void closingAllOfAUser() {
        WebSessions.Session a = sessions.open("alice");
        WebSessions.Session b = sessions.open("bob");
        sessions.closeAll("alice");
        assertFalse(sessions.use(a.id()).isPresent());
        assertTrue(sessions.use(b.id()).isPresent());
    }
}
