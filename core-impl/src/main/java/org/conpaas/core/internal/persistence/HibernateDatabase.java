package org.conpaas.core.internal.persistence;

import java.util.Map;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.spi.PersistenceProvider;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The director's database: builds the {@link DirectorPersistenceUnit} once, on pax-jdbc-config's DataSource
 * (etc/org.ops4j.datasource-conpaas.cfg) with Hibernate's OSGi persistence provider, and runs transactions on it.
 */
@Component(service = Transactions.class)
public final class HibernateDatabase implements Transactions {
    private final EntityManagerFactory emf;
    private final Transactions transactions;

    @Activate
    public HibernateDatabase(@Reference(target = "(osgi.jndi.service.name=conpaas)") DataSource dataSource,
            @Reference(target = "(javax.persistence.provider=org.hibernate.jpa.HibernatePersistenceProvider)")
            PersistenceProvider hibernate) {
        this.emf = hibernate.createContainerEntityManagerFactory(new DirectorPersistenceUnit(dataSource), Map.of());
        this.transactions = new EntityManagerTransactions(emf);
    }

    @Override
    public <R> R call(Function<EntityManager, R> work) {
        return transactions.call(work);
    }

    @Deactivate
    void close() {
        emf.close();
    }
}
