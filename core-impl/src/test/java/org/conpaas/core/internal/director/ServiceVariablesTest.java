package org.conpaas.core.internal.director;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.time.Instant;
import java.util.Map;
import org.conpaas.api.State;
import org.conpaas.core.internal.persistence.ApplicationEntity;
import org.conpaas.core.internal.persistence.ServiceEntity;
import org.conpaas.core.internal.persistence.Store;
import org.conpaas.core.internal.persistence.TestDatabase;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Variables one service publishes for the scripts of its application's other services. */
public class ServiceVariablesTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private TestDatabase db;
    private Store store;
    private long app;
    private long fs;
    private long other;
    private long generic;

    @Before
    public void setUp() {
        db = new TestDatabase(folder.getRoot().toPath());
        store = new Store(db);
        Instant now = Instant.now();
        long[] ids = db.call(em -> {
            ApplicationEntity a = new ApplicationEntity("alice", "shop", now);
            em.persist(a);
            long[] made = new long[4];
            made[0] = a.getId();
            for (int i = 1; i < 4; i++) {
                ServiceEntity s = new ServiceEntity(a.getId(), a.nextServiceNumber(), "s" + i, "xtreemfs", now);
                s.setState(State.RUNNING, null);
                em.persist(s);
                made[i] = s.getId();
            }
            return made;
        });
        app = ids[0];
        fs = ids[1];
        other = ids[2];
        generic = ids[3];
    }

    @After
    public void tearDown() {
        db.close();
    }

    @Test
    public void runningServicesOfferTheirVariablesToTheOthersTheOlderWinning() {
        ServiceVariables.publish(store, fs, Map.of("XTREEMFS_MASTER", "198.19.0.2", "XTREEMFS_VOLUMES", "a b"));
        ServiceVariables.publish(store, other, Map.of("XTREEMFS_MASTER", "198.19.0.9", "OTHER", "x=y"));
        assertEquals(Map.of("XTREEMFS_MASTER", "198.19.0.2", "XTREEMFS_VOLUMES", "a b", "OTHER", "x=y"),
                ServiceVariables.ofApplication(store, app, generic));
        assertEquals("a service never sees its own", Map.of("XTREEMFS_MASTER", "198.19.0.9", "OTHER", "x=y"),
                ServiceVariables.ofApplication(store, app, fs));

        db.call(em -> {
            em.find(ServiceEntity.class, fs).setState(State.STOPPED, null);
            return null;
        });
        assertEquals("a stopped service offers nothing", Map.of("XTREEMFS_MASTER", "198.19.0.9", "OTHER", "x=y"),
                ServiceVariables.ofApplication(store, app, generic));
        ServiceVariables.publish(store, other, Map.of());
        assertEquals(Map.of(), ServiceVariables.ofApplication(store, app, generic));
    }

    @Test
    public void badNamesAndValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ServiceVariables.publish(store, fs, Map.of("lower", "x")));
        assertThrows(IllegalArgumentException.class,
                () -> ServiceVariables.publish(store, fs, Map.of("A", "two\nlines")));
        assertThrows(IllegalArgumentException.class,
                () -> ServiceVariables.publish(store, fs, Map.of("A", "x".repeat(1025))));
        assertEquals(Map.of(), ServiceVariables.ofApplication(store, app, generic));
    }
}
