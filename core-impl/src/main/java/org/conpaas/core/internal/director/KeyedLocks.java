package org.conpaas.core.internal.director;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.conpaas.api.ConflictException;

/**
 * One lock per application or service, so a state change of one service never waits for another's. Locks are held
 * for a claim's transaction (milliseconds) or a short service operation; a caller that cannot get one within the
 * bound is told the service is busy instead of hanging.
 */
final class KeyedLocks {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String what;
    private final ConcurrentHashMap<Long, ReentrantLock> locks = new ConcurrentHashMap<>();

    KeyedLocks(String what) {
        this.what = what;
    }

    <T> T with(long key, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
        boolean locked;
        try {
            locked = lock.tryLock(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConflictException("interrupted while waiting for " + what + " " + key);
        }
        if (!locked) {
            throw new ConflictException(what + " " + key + " is busy with another request; try again");
        }
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets the lock of a removed application or service. */
    void forget(long key) {
        locks.remove(key);
    }
}
