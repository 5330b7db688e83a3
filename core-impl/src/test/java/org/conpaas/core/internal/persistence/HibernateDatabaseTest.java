package org.conpaas.core.internal.persistence;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.persistence.EntityManagerFactory;
import javax.persistence.PersistenceException;
import javax.persistence.spi.PersistenceProvider;
import javax.sql.DataSource;
import org.junit.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

public class HibernateDatabaseTest {

    /** What the director registers: the names of the services, in order. */
    private final BlockingQueue<String> registered = new LinkedBlockingQueue<>();

    @Test
    public void aBuildThatFailsOnceIsTriedAgainAndTheDatabaseComesUp() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        HibernateDatabase database = new HibernateDatabase(context(), proxy(DataSource.class), provider(() -> {
            if (builds.incrementAndGet() == 1) {
                throw new PersistenceException("No current connection.");
            }
        }), Duration.ofMillis(50));
        try {
            assertEquals(Transactions.class.getName(), registered.poll(10, TimeUnit.SECONDS));
            assertEquals(2, builds.get());
        } finally {
            database.close();
        }
    }

    @Test
    public void aBuildThatKeepsFailingLeavesTheDirectorWithoutADatabaseAfterFourAttempts() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        HibernateDatabase database = new HibernateDatabase(context(), proxy(DataSource.class), provider(() -> {
            builds.incrementAndGet();
            throw new PersistenceException("the disk is full");
        }), Duration.ofMillis(10));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (builds.get() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(200);
        database.close();
        assertEquals(4, builds.get());
        assertTrue(registered.isEmpty());
    }

    @Test
    public void stoppingTheDirectorEndsTheWaitBetweenAttempts() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        HibernateDatabase database = new HibernateDatabase(context(), proxy(DataSource.class), provider(() -> {
            builds.incrementAndGet();
            throw new PersistenceException("No current connection.");
        }), Duration.ofMinutes(10));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (builds.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        long start = System.nanoTime();
        database.close();
        assertTrue("close waited for the next attempt", System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertEquals(1, builds.get());
        assertTrue(registered.isEmpty());
    }

    private PersistenceProvider provider(Runnable build) {
        return (PersistenceProvider) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PersistenceProvider.class}, (self, method, args) -> {
                    if (method.getName().equals("createContainerEntityManagerFactory")) {
                        build.run();
                        return proxy(EntityManagerFactory.class);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (self, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        registered.add(((Class<?>) args[0]).getName());
                        return proxy(ServiceRegistration.class);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** An object of the interface whose methods do nothing (close, unregister). */
    @SuppressWarnings("unchecked")
    private <T> T proxy(Class<T> type) {
        return (T) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> null);
    }
}
