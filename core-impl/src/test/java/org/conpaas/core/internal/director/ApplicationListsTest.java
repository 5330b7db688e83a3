package org.conpaas.core.internal.director;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.conpaas.api.State;
import org.conpaas.api.model.ApplicationInfo;
import org.conpaas.core.internal.persistence.ApplicationEntity;
import org.conpaas.core.internal.persistence.ApplicationRowChanges;
import org.conpaas.core.internal.persistence.ManagerStateEntity;
import org.conpaas.core.internal.persistence.Store;
import org.conpaas.core.internal.persistence.TestDatabase;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A user's application list is answered from memory while no application row changed, and read again after any
 * transaction that wrote one (a new row, a state or a name, a deletion), also one that failed after writing.
 */
public class ApplicationListsTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();
    private TestDatabase db;
    private final ApplicationLists lists = new ApplicationLists();
    private final AtomicInteger queries = new AtomicInteger();

    @Before
    public void open() {
        db = new TestDatabase(folder.getRoot().toPath());
    }

    @After
    public void close() {
        db.close();
    }

    private List<ApplicationInfo> list(String user) {
        return lists.of(user, () -> {
            queries.incrementAndGet();
            return db.call(em -> em.createQuery("select a from ApplicationEntity a where a.ownerId = :o order by a.id",
                    ApplicationEntity.class).setParameter("o", user).getResultList().stream().map(Store::info)
                    .toList());
        });
    }

    @Test
    public void theListIsReadAgainAfterEveryWriteOfAnApplicationRowAndOnlyThen() {
        long id = db.call(em -> {
            ApplicationEntity app = new ApplicationEntity("ann", "shop", Instant.now());
            em.persist(app);
            return app.getId();
        });
        assertEquals(List.of("shop"), names(list("ann")));
        assertEquals(List.of("shop"), names(list("ann")));
        assertEquals("the second call is answered from memory", 1, queries.get());

        db.run(em -> em.persist(new ManagerStateEntity(1, "k", "v")));
        list("ann");
        assertEquals("a write of another table keeps the list", 1, queries.get());

        db.run(em -> em.find(ApplicationEntity.class, id).setName("store"));
        assertEquals(List.of("store"), names(list("ann")));
        db.run(em -> em.find(ApplicationEntity.class, id).setState(State.RUNNING));
        assertEquals(State.RUNNING, list("ann").get(0).state());
        assertEquals(3, queries.get());

        long before = ApplicationRowChanges.generation();
        assertThrows(IllegalStateException.class, () -> db.run(em -> {
            em.find(ApplicationEntity.class, id).setName("never");
            em.flush();
            throw new IllegalStateException("failed after writing");
        }));
        assertNotEquals("a rolled back write counts too", before, ApplicationRowChanges.generation());
        assertEquals("the rollback is what the list shows", List.of("store"), names(list("ann")));

        db.run(em -> em.remove(em.find(ApplicationEntity.class, id)));
        assertEquals(List.of(), list("ann"));
    }

    @Test
    public void eachUserHasTheirOwnList() {
        db.run(em -> em.persist(new ApplicationEntity("ann", "a", Instant.now())));
        db.run(em -> em.persist(new ApplicationEntity("bob", "b", Instant.now())));
        assertEquals(List.of("a"), names(list("ann")));
        assertEquals(List.of("b"), names(list("bob")));
        assertEquals(List.of("a"), names(list("ann")));
        assertEquals(2, queries.get());
    }

    private static List<String> names(List<ApplicationInfo> apps) {
        return apps.stream().map(ApplicationInfo::name).toList();
    }
}
