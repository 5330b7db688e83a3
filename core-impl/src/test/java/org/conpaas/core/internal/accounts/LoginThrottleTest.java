package org.conpaas.core.internal.accounts;

import org.conpaas.core.internal.testing.MutableClock;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.Test;

public class LoginThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock);

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            assertTrue("attempt " + i + " is checked", throttle.allows("bob"));
            throttle.failed("bob");
        }
    }

    @Test
    public void fiveFailuresAreFreeThenTheDelayDoublesFromOneSecond() {
        fail(5);
        assertFalse(throttle.allows("bob"));
        clock.advance(Duration.ofMillis(999));
        assertFalse(throttle.allows("bob"));
        clock.advance(Duration.ofMillis(1));
        assertTrue(throttle.allows("bob"));
        throttle.failed("bob"); // 6th
        clock.advance(Duration.ofMillis(1999));
        assertFalse(throttle.allows("bob"));
        clock.advance(Duration.ofMillis(1));
        assertTrue(throttle.allows("bob"));
        throttle.failed("bob"); // 7th
        clock.advance(Duration.ofMillis(3999));
        assertFalse(throttle.allows("bob"));
        clock.advance(Duration.ofMillis(1));
        assertTrue(throttle.allows("bob"));
    }

    @Test
    public void refusedAttemptsDoNotProlongTheDelay() {
        fail(5);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofMillis(90));
            assertFalse(throttle.allows("bob"));
        }
        clock.advance(Duration.ofMillis(100));
        assertTrue("1 s after the last failure, however often it was refused meanwhile", throttle.allows("bob"));
    }

    @Test
    public void theDelayStopsAtFiveMinutes() {
        assertEquals(Duration.ZERO, LoginThrottle.delayAfter(4));
        assertEquals(Duration.ofSeconds(1), LoginThrottle.delayAfter(5));
        assertEquals(Duration.ofSeconds(2), LoginThrottle.delayAfter(6));
        assertEquals(Duration.ofSeconds(256), LoginThrottle.delayAfter(13));
        assertEquals(Duration.ofSeconds(300), LoginThrottle.delayAfter(14));
        assertEquals(Duration.ofSeconds(300), LoginThrottle.delayAfter(1_000));
        fail(5);
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofSeconds(300));
            assertTrue(throttle.allows("bob"));
            throttle.failed("bob");
        }
        clock.advance(Duration.ofSeconds(299));
        assertFalse(throttle.allows("bob"));
        clock.advance(Duration.ofSeconds(1));
        assertTrue(throttle.allows("bob"));
    }

    @Test
    public void successResetsAndUsersAreCountedApart() {
        fail(5);
        assertFalse(throttle.allows("bob"));
        assertTrue("another user is not affected", throttle.allows("alice"));
        clock.advance(Duration.ofSeconds(1));
        throttle.succeeded("bob");
        fail(5); // five free failures again
        assertFalse(throttle.allows("bob"));
    }
}
