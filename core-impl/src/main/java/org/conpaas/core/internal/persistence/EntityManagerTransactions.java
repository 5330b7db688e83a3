package org.conpaas.core.internal.persistence;

import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.EntityTransaction;

/**
 * Transactions on a RESOURCE_LOCAL EntityManagerFactory: one EntityManager and one transaction per outermost call.
 * Re-entrant: a call made inside another on the same thread runs in the outer call's EntityManager and transaction
 * (so it sees the outer call's uncommitted changes, and its changes commit or roll back with the outer call).
 */
public final class EntityManagerTransactions implements Transactions {
    private final EntityManagerFactory emf;
    private final ThreadLocal<EntityManager> outer = new ThreadLocal<>();

    public EntityManagerTransactions(EntityManagerFactory emf) {
        this.emf = emf;
    }

    @Override
    public <R> R call(Function<EntityManager, R> work) {
        EntityManager joined = outer.get();
        if (joined != null) {
            return work.apply(joined);
        }
        EntityManager em = emf.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        outer.set(em);
        try {
            tx.begin();
            R result = work.apply(em);
            tx.commit();
            return result;
        } finally {
            outer.remove();
            try {
                if (tx.isActive()) {
                    tx.rollback();
                }
            } finally {
                em.close();
                ApplicationRowChanges.transactionEnded();
            }
        }
    }
}
