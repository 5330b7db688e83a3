package org.conpaas.core.internal.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing per username: the first {@value #FREE_FAILURES} consecutive failures cost nothing
 * extra; after them every attempt is refused, without checking the password, until a delay has passed since the
 * last failure: 1 s, then 2 s, 4 s … at most 300 s. A success resets the count. Refused attempts do not extend the
 * delay, so an attacker cannot lock a user out for longer than the cap. Kept in memory: a restart forgets it.
 */
public class LoginThrottle {
    static final int FREE_FAILURES = 5;
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(300);
    /** Past this many tracked names, stale entries (older than the longest delay) are dropped. */
    private static final int PRUNE_ABOVE = 10_000;

    private record Failures(int count, Instant last) {
    }

    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Whether an attempt for {@code username} may be checked now. */
    public boolean allows(String username) {
        Failures f = failures.get(username);
        if (f == null || f.count() < FREE_FAILURES) {
            return true;
        }
        return !clock.instant().isBefore(f.last().plus(delayAfter(f.count())));
    }

    /** How long after the last failure the next attempt is refused, given {@code count} consecutive failures. */
    static Duration delayAfter(int count) {
        if (count < FREE_FAILURES) {
            return Duration.ZERO;
        }
        int doublings = count - FREE_FAILURES;
        if (doublings >= 9) { // 2^9 s > 300 s
            return MAX_DELAY;
        }
        Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }

    public void failed(String username) {
        Instant now = clock.instant();
        failures.merge(username, new Failures(1, now), (old, one) -> new Failures(old.count() + 1, now));
        if (failures.size() > PRUNE_ABOVE) {
            Instant stale = now.minus(MAX_DELAY);
            failures.values().removeIf(f -> f.last().isBefore(stale));
        }
    }

    public void succeeded(String username) {
        failures.remove(username);
    }
}
