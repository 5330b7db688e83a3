package org.conpaas.core.internal.accounts;

import org.conpaas.core.internal.testing.MutableClock;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.Test;

public class CredentialCacheTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final CredentialCache cache = new CredentialCache(clock);

    @Test
    public void remembersTheExactPairForFiveMinutes() {
        assertFalse(cache.matches("bob", "secret password"));
        cache.remember("bob", "secret password", cache.generation());
        assertTrue(cache.matches("bob", "secret password"));
        assertFalse(cache.matches("bob", "secret passwor"));
        assertFalse(cache.matches("bo", "bsecret password"));
        assertFalse(cache.matches("alice", "secret password"));
        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertTrue(cache.matches("bob", "secret password"));
        clock.advance(Duration.ofMillis(1));
        assertFalse(cache.matches("bob", "secret password"));
    }

    @Test
    public void forgetDropsTheEntry() {
        cache.remember("bob", "secret password", cache.generation());
        cache.forget("bob");
        assertFalse(cache.matches("bob", "secret password"));
    }

    @Test
    public void aVerificationUnderWayWhileSomethingIsForgottenIsNotRemembered() {
        long before = cache.generation();
        cache.forget("bob"); // e.g. bob's password changed while his old one was being checked
        cache.remember("bob", "old password", before);
        assertFalse(cache.matches("bob", "old password"));
        cache.remember("bob", "new password", cache.generation());
        assertTrue(cache.matches("bob", "new password"));
    }

    @Test
    public void remembersAtMostMaxEntriesUsersAndMakesRoomFromExpiredOnes() {
        for (int i = 0; i < CredentialCache.MAX_ENTRIES; i++) {
            cache.remember("user" + i, "pw", cache.generation());
        }
        cache.remember("one too many", "pw", cache.generation());
        assertFalse(cache.matches("one too many", "pw"));
        assertEquals(CredentialCache.MAX_ENTRIES, cache.size());
        cache.remember("user7", "new pw", cache.generation()); // a known user is replaced, not added
        assertTrue(cache.matches("user7", "new pw"));
        clock.advance(CredentialCache.LIFETIME);
        cache.remember("one too many", "pw", cache.generation());
        assertTrue(cache.matches("one too many", "pw"));
        assertEquals("the expired ones were dropped", 1, cache.size());
    }
}
