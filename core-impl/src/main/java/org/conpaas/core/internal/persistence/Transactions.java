package org.conpaas.core.internal.persistence;

import java.util.function.Consumer;
import java.util.function.Function;
import javax.persistence.EntityManager;

/** Runs work in one database transaction. In OSGi it is Aries JPA; in unit tests a plain EntityManagerFactory. */
public interface Transactions {

    <R> R call(Function<EntityManager, R> work);

    default void run(Consumer<EntityManager> work) {
        call(em -> {
            work.accept(em);
            return null;
        });
    }
}
