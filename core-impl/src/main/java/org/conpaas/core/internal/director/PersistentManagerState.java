package org.conpaas.core.internal.director;

import java.util.Map;
import java.util.Optional;
import org.conpaas.api.service.ManagerState;
import org.conpaas.core.internal.persistence.Store;

/** A manager's key/value state in the director's database. */
final class PersistentManagerState implements ManagerState {
    private final Store store;
    private final long serviceId;

    PersistentManagerState(Store store, long serviceId) {
        this.store = store;
        this.serviceId = serviceId;
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(all().get(key));
    }

    @Override
    public void put(String key, String value) {
        store.tx(em -> {
            store.putManagerState(em, serviceId, key, value);
            return null;
        });
    }

    @Override
    public void remove(String key) {
        store.tx(em -> {
            store.removeManagerState(em, serviceId, key);
            return null;
        });
    }

    @Override
    public Map<String, String> all() {
        return store.tx(em -> store.managerState(em, serviceId));
    }
}
