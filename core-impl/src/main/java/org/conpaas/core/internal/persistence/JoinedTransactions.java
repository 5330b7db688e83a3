package org.conpaas.core.internal.persistence;

import java.util.function.Function;
import javax.persistence.EntityManager;

/**
 * Makes {@link Transactions#call} re-entrant: a call made inside another on the same thread runs in the outer call's
 * EntityManager and transaction instead of asking for a new one. Aries JPA would hand the nested call the same
 * EntityManager anyway (through its coordination) but first looks for a JTA transaction manager to join, which a
 * RESOURCE_LOCAL unit never has, and logs a WARN "Transaction manager is not available." for every nested call.
 */
final class JoinedTransactions {
    private final ThreadLocal<EntityManager> outer = new ThreadLocal<>();

    /** Runs {@code work} in the outer call's EntityManager if there is one, else through {@code begin}. */
    <R> R call(Function<EntityManager, R> work, Function<Function<EntityManager, R>, R> begin) {
        EntityManager joined = outer.get();
        if (joined != null) {
            return work.apply(joined);
        }
        return begin.apply(em -> {
            outer.set(em);
            try {
                return work.apply(em);
            } finally {
                outer.remove();
            }
        });
    }
}
