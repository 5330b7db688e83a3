package org.conpaas.core.internal.persistence;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.persistence.EntityManagerFactory;
import javax.persistence.spi.PersistenceProvider;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The director's database: builds the {@link DirectorPersistenceUnit} once, on pax-jdbc-config's DataSource
 * (etc/org.ops4j.datasource-conpaas.cfg) with Hibernate's OSGi persistence provider, and registers
 * {@link Transactions} on it when it is built.
 *
 * <p>The build takes seconds. It runs on its own thread: done in the activation it would hold the thread that
 * activates us (SCR's, or Karaf's feature installer starting the bundle), and with it the rest of the boot.
 */
@Component(immediate = true)
public final class HibernateDatabase {
    private static final Logger LOG = LoggerFactory.getLogger(HibernateDatabase.class);

    private final ExecutorService builder = Executors.newSingleThreadExecutor(
            work -> new Thread(work, "conpaas-persistence-unit"));
    private EntityManagerFactory emf;
    private ServiceRegistration<Transactions> registration;
    private boolean closed;

    @Activate
    public HibernateDatabase(BundleContext context,
            @Reference(target = "(osgi.jndi.service.name=conpaas)") DataSource dataSource,
            @Reference(target = "(javax.persistence.provider=org.hibernate.jpa.HibernatePersistenceProvider)")
            PersistenceProvider hibernate) {
        builder.execute(() -> build(context, dataSource, hibernate));
    }

    private void build(BundleContext context, DataSource dataSource, PersistenceProvider hibernate) {
        long start = System.nanoTime();
        EntityManagerFactory built;
        try {
            built = hibernate.createContainerEntityManagerFactory(new DirectorPersistenceUnit(dataSource), Map.of());
        } catch (RuntimeException e) {
            LOG.error("the director's database could not be opened; the director stays unavailable", e);
            return;
        }
        synchronized (this) {
            if (closed) {
                built.close();
                return;
            }
            emf = built;
            registration = context.registerService(Transactions.class, new EntityManagerTransactions(built), null);
        }
        LOG.info("database ready in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    @Deactivate
    void close() throws InterruptedException {
        synchronized (this) {
            closed = true;
            if (registration != null) {
                registration.unregister();
            }
        }
        builder.shutdown();
        if (!builder.awaitTermination(60, TimeUnit.SECONDS)) {
            LOG.warn("the database build did not end within 60 s of the director stopping");
        }
        synchronized (this) {
            if (emf != null) {
                emf.close();
            }
        }
    }
}
