package org.conpaas.core.internal.persistence;

import java.time.Duration;
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
 *
 * <p>A failed build is tried again a few times: during a boot Karaf's feature installer may refresh bundles the
 * build is using at that moment (Derby's class loader went away under it once, and the director then stayed
 * unavailable although nothing was wrong with the database).
 */
@Component(immediate = true)
public final class HibernateDatabase {
    private static final Logger LOG = LoggerFactory.getLogger(HibernateDatabase.class);
    private static final int ATTEMPTS = 4;
    private static final Duration BETWEEN_ATTEMPTS = Duration.ofSeconds(3);

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
        this(context, dataSource, hibernate, BETWEEN_ATTEMPTS);
    }

    HibernateDatabase(BundleContext context, DataSource dataSource, PersistenceProvider hibernate,
            Duration betweenAttempts) {
        builder.execute(() -> build(context, dataSource, hibernate, betweenAttempts));
    }

    private void build(BundleContext context, DataSource dataSource, PersistenceProvider hibernate,
            Duration betweenAttempts) {
        long start = System.nanoTime();
        EntityManagerFactory built = null;
        for (int attempt = 1; built == null; attempt++) {
            try {
                built = hibernate.createContainerEntityManagerFactory(new DirectorPersistenceUnit(dataSource),
                        Map.of());
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    LOG.error("the director's database could not be opened ({} attempts); the director stays "
                            + "unavailable", ATTEMPTS, e);
                    return;
                }
                LOG.warn("the director's database could not be opened (attempt {} of {}), trying again in {} s: {}",
                        attempt, ATTEMPTS, betweenAttempts.toSeconds(), e.toString());
                if (!pause(betweenAttempts)) {
                    return;
                }
            }
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

    /** Waits before the next attempt; false when the director stops meanwhile. */
    private synchronized boolean pause(Duration time) {
        long end = System.nanoTime() + time.toNanos();
        try {
            for (long left = time.toNanos(); !closed && left > 0; left = end - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !closed;
    }

    @Deactivate
    void close() throws InterruptedException {
        synchronized (this) {
            closed = true;
            notifyAll();
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
