package org.conpaas.core.internal.persistence;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.EntityTransaction;
import javax.persistence.Persistence;

/** The director's tables on an embedded Derby database in a folder, outside OSGi. Reopening it is a "restart". */
public final class TestDatabase implements Transactions, AutoCloseable {
    private final EntityManagerFactory emf;
    private final String url;
    private final JoinedTransactions joined = new JoinedTransactions();

    public TestDatabase(Path folder) {
        url = "jdbc:derby:" + folder.resolve("db");
        emf = Persistence.createEntityManagerFactory("conpaas-test",
                Map.of("javax.persistence.jdbc.url", url + ";create=true"));
    }

    @Override
    public <R> R call(Function<EntityManager, R> work) {
        // Re-entrant like the director's AriesTransactions: a nested call joins the outer transaction.
        return joined.call(work, this::begin);
    }

    private <R> R begin(Function<EntityManager, R> work) {
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

    /**
     * Closes the factory and shuts the database down. Derby keeps a database booted after its last connection closes;
     * one left booted while the test deletes its folder fails later with a system-wide error that stops every other
     * database in the JVM.
     */
    @Override
    public void close() {
        emf.close();
        try {
            DriverManager.getConnection(url + ";shutdown=true").close();
            throw new IllegalStateException("Derby did not shut down " + url);
        } catch (SQLException expected) {
            if (!"08006".equals(expected.getSQLState())) {
                throw new IllegalStateException("Derby could not shut down " + url, expected);
            }
        }
    }
}
