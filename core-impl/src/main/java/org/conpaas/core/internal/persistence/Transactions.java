package org.conpaas.core.internal.persistence;

import java.util.function.Consumer;
import java.util.function.Function;
import javax.persistence.EntityManager;

/**
 * Runs work in one database transaction; a call inside another on the same thread joins it. In OSGi it is {@link
 * HibernateDatabase}; in unit tests an embedded database (TestDatabase), both through {@link EntityManagerTransactions}.
 */
public interface Transactions {

    <R> R call(Function<EntityManager, R> work);

    default void run(Consumer<EntityManager> work) {
        call(em -> {
            work.accept(em);
            return null;
        });
    }
}
