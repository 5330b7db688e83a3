package org.conpaas.core.internal.accounts;

import org.conpaas.core.internal.testing.MutableClock;
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
        cache.remember("bob", "secret password");
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
        cache.remember("bob", "secret password");
        cache.forget("bob");
        assertFalse(cache.matches("bob", "secret password"));
    }
}
