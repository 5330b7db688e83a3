package org.conpaas.core.internal.persistence;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;

import java.util.concurrent.atomic.AtomicReference;
import javax.persistence.EntityManager;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class EntityManagerTransactionsTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();
    private TestDatabase db;

    @Before
    public void open() {
        db = new TestDatabase(folder.getRoot().toPath());
    }

    @After
    public void close() {
        db.close();
    }

    private long rows() {
        return db.call(em -> em.createQuery("select count(m) from ManagerStateEntity m", Long.class)
                .getSingleResult());
    }

    @Test
    public void aNestedCallJoinsTheOuterEntityManagerAndSeesItsUncommittedChanges() {
        AtomicReference<EntityManager> inner = new AtomicReference<>();
        AtomicReference<Long> seen = new AtomicReference<>();

        EntityManager outer = db.call(em -> {
            em.persist(new ManagerStateEntity(1, "k", "v"));
            db.run(nested -> {
                inner.set(nested);
                seen.set(nested.createQuery("select count(m) from ManagerStateEntity m", Long.class)
                        .getSingleResult());
            });
            return em;
        });

        assertSame(outer, inner.get());
        assertEquals(Long.valueOf(1), seen.get());
        assertEquals(1, rows());
    }

    @Test
    public void aFailingOuterCallRollsBackWhatANestedCallWrote() {
        assertThrows(IllegalStateException.class, () -> db.run(em -> {
            db.run(nested -> nested.persist(new ManagerStateEntity(1, "k", "v")));
            throw new IllegalStateException("work failed");
        }));

        assertEquals("the nested write was part of the outer transaction", 0, rows());
    }

    @Test
    public void callsAfterAnOuterCallEndedAndCallsOnOtherThreadsHaveTheirOwnEntityManager() throws Exception {
        AtomicReference<EntityManager> other = new AtomicReference<>();
        EntityManager first = db.call(em -> {
            Thread thread = new Thread(() -> db.run(other::set));
            thread.start();
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return em;
        });
        EntityManager second = db.call(em -> em);

        assertNotSame(first, other.get());
        assertNotSame(first, second);
    }
}
