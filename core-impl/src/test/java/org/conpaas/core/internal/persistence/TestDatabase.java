package org.conpaas.core.internal.persistence;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import org.hibernate.jpa.HibernatePersistenceProvider;

/**
 * The director's persistence unit ({@link DirectorPersistenceUnit}) on an embedded Derby database in a folder,
 * outside OSGi. Reopening it is a "restart".
 */
public final class TestDatabase implements Transactions, AutoCloseable {
    private final EntityManagerFactory emf;
    private final Transactions transactions;
    private final String url;

    public TestDatabase(Path folder) {
        url = "jdbc:derby:" + folder.resolve("db");
        emf = new HibernatePersistenceProvider().createContainerEntityManagerFactory(new DirectorPersistenceUnit(null),
                Map.of("javax.persistence.jdbc.driver", "org.apache.derby.jdbc.EmbeddedDriver",
                        "javax.persistence.jdbc.url", url + ";create=true"));
        transactions = new EntityManagerTransactions(emf);
    }

    @Override
    public <R> R call(Function<EntityManager, R> work) {
        return transactions.call(work);
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
