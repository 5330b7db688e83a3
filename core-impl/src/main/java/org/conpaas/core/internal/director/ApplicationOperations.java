package org.conpaas.core.internal.director;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.conpaas.api.ConflictException;
import org.conpaas.api.State;
import org.conpaas.api.WrongStateException;
import org.conpaas.api.model.ApplicationInfo;
import org.conpaas.core.internal.persistence.ApplicationEntity;
import org.conpaas.core.internal.persistence.ServiceEntity;
import org.conpaas.core.internal.persistence.Store;

/**
 * Applications: create, rename, start, stop and delete. Stopping or deleting claims every service that holds nodes
 * (EPILOGUE) and the application itself, so nothing can start in it while its nodes are released.
 */
final class ApplicationOperations {
    private static final Set<State> STARTABLE = EnumSet.of(State.INIT, State.STOPPED);
    /** A service may be stopped with its application only once it has settled. */
    private static final Set<State> SETTLED = EnumSet.of(State.INIT, State.STOPPED, State.RUNNING, State.ERROR);

    private final Store store;
    private final Lookup lookup;
    private final OperationEngine engine;
    private final NodeRelease release;
    private final ServiceManagers managers;
    /** Application names are unique per user: checking and taking one is a step of its own. */
    private final Object names = new Object();
    private final ApplicationLists lists = new ApplicationLists();

    ApplicationOperations(Store store, Lookup lookup, OperationEngine engine, NodeRelease release,
            ServiceManagers managers) {
        this.store = store;
        this.lookup = lookup;
        this.engine = engine;
        this.release = release;
        this.managers = managers;
    }

    ApplicationInfo create(String user, String name) {
        String checked = Names.check("name", name == null ? "New Application" : name);
        synchronized (names) {
            return store.tx(em -> {
                if (store.applicationNameTaken(em, user, checked)) {
                    throw new ConflictException("an application named '" + checked + "' already exists");
                }
                ApplicationEntity app = new ApplicationEntity(user, checked, store.now());
                em.persist(app);
                em.flush();
                return Store.info(app);
            });
        }
    }

    List<ApplicationInfo> list(String user) {
        return lists.of(user, () -> store.tx(em -> store.applications(em, user).stream().map(Store::info).toList()));
    }

    ApplicationInfo get(String user, String app) {
        return store.tx(em -> Store.info(lookup.application(em, user, app)));
    }

    ApplicationInfo rename(String user, String app, String newName) {
        String checked = Names.check("name", newName);
        synchronized (names) {
            return store.tx(em -> {
                ApplicationEntity a = lookup.application(em, user, app);
                if (!a.getName().equals(checked) && store.applicationNameTaken(em, user, checked)) {
                    throw new ConflictException("an application named '" + checked + "' already exists");
                }
                a.setName(checked);
                return Store.info(a);
            });
        }
    }

    ApplicationInfo start(String user, String app) {
        long id = lookup.applicationId(user, app);
        return engine.withApplication(id, () -> store.tx(em -> {
            ApplicationEntity a = em.find(ApplicationEntity.class, id);
            if (!STARTABLE.contains(a.getState())) {
                throw new WrongStateException("start application " + a.getName(), a.getState(), STARTABLE);
            }
            // The managers live inside the director, so starting costs no machine: PROLOGUE is immediate.
            a.setState(State.RUNNING);
            return Store.info(a);
        }));
    }

    ApplicationInfo stop(String user, String app) {
        long id = lookup.applicationId(user, app);
        stopServices(id, "stop application", "the application was stopped");
        return store.tx(em -> {
            ApplicationEntity a = em.find(ApplicationEntity.class, id);
            a.setState(State.STOPPED);
            return Store.info(a);
        });
    }

    void delete(String user, String app) {
        long id = lookup.applicationId(user, app);
        stopServices(id, "delete application", "the application was deleted");
        List<ServiceKey> removed = store.tx(em -> {
            ApplicationEntity a = em.find(ApplicationEntity.class, id);
            List<ServiceEntity> all = store.services(em, id);
            List<ServiceKey> keys = all.stream().map(s -> ServiceKey.of(a, s)).toList();
            all.forEach(s -> store.deleteService(em, s));
            em.remove(a);
            return keys;
        });
        removed.forEach(key -> {
            managers.deleteFiles(key.serviceDbId());
            engine.removed(key);
        });
    }

    /**
     * Claims the application (EPILOGUE: no service may be added or started in it) and every service holding nodes,
     * refusing while one is busy, then releases their nodes.
     */
    private void stopServices(long applicationId, String action, String why) {
        List<OperationEngine.Claim> claims = engine.withApplication(applicationId, () -> {
            List<ServiceKey> holding = store.tx(em -> {
                ApplicationEntity a = em.find(ApplicationEntity.class, applicationId);
                return store.services(em, applicationId).stream()
                        .filter(s -> s.getState() != State.INIT && s.getState() != State.STOPPED
                                || !store.nodes(em, s.getId()).isEmpty())
                        .map(s -> ServiceKey.of(a, s)).toList();
            });
            String name = store.tx(em -> em.find(ApplicationEntity.class, applicationId).getName());
            List<OperationEngine.Claim> claimed = engine.claimAll(holding, action + " " + name, SETTLED, why);
            store.tx(em -> {
                em.find(ApplicationEntity.class, applicationId).setState(State.EPILOGUE);
                return null;
            });
            return claimed;
        });
        for (OperationEngine.Claim claim : claims) {
            engine.finish(claim.key(), engine.stopNow(claim.key(), () -> release.service(claim.key(), why, false)));
        }
    }
}
