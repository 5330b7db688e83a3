package org.conpaas.core.internal.persistence;

import java.util.concurrent.atomic.AtomicLong;
import javax.persistence.PostPersist;
import javax.persistence.PostRemove;
import javax.persistence.PostUpdate;

/**
 * Tells a read cache of application rows whether it is still current: {@link #generation()} grows after every
 * transaction that wrote an application row has ended, committed or not.
 *
 * <p>It is the entity listener of {@link ApplicationEntity} (Hibernate calls it when a change is flushed, on the
 * thread of the transaction) and {@link EntityManagerTransactions} ends the count when that transaction ends. The
 * count grows only <em>after</em> the commit, so a reader that took the generation before its query can never store
 * a result older than the generation it stores it under. Static because Hibernate, not OSGi, creates the listener;
 * there is one persistence unit per director. Bulk JPQL updates bypass entity listeners: none touches this table.
 */
public final class ApplicationRowChanges {
    private static final AtomicLong GENERATION = new AtomicLong();
    private static final ThreadLocal<Boolean> WRITTEN = new ThreadLocal<>();

    /** The current generation: equal to an earlier read means no application row changed in between. */
    public static long generation() {
        return GENERATION.get();
    }

    /** Called by {@link EntityManagerTransactions} once the outermost transaction of this thread has ended. */
    static void transactionEnded() {
        if (WRITTEN.get() != null) {
            WRITTEN.remove();
            GENERATION.incrementAndGet();
        }
    }

    @PostPersist
    @PostUpdate
    @PostRemove
    void written(Object application) {
        WRITTEN.set(Boolean.TRUE);
    }
}
