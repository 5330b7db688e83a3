package org.conpaas.core.internal.persistence;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.EntityTransaction;
import javax.persistence.Persistence;

/** The director's tables on an embedded Derby database in a folder, outside OSGi. Reopening it is a "restart". */
public final class TestDatabase implements Transactions, AutoCloseable {
    private final EntityManagerFactory emf;

    public TestDatabase(Path folder) {
        emf = Persistence.createEntityManagerFactory("conpaas-test",
                Map.of("javax.persistence.jdbc.url", "jdbc:derby:" + folder.resolve("db") + ";create=true"));
    }

    @Override
    public <R> R call(Function<EntityManager, R> work) {
        EntityManager em = emf.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            R result = work.apply(em);
            tx.commit();
            return result;
        } finally {
            if (tx.isActive()) {
                tx.rollback();
            }
            em.close();
        }
    }

    @Override
    public void close() {
        emf.close();
    }
}
