package org.conpaas.core.internal.director;

import javax.persistence.EntityManager;
import org.conpaas.core.internal.accounts.Accounts;
import org.conpaas.core.internal.persistence.ApplicationEntity;
import org.conpaas.core.internal.persistence.ServiceEntity;
import org.conpaas.core.internal.persistence.Store;

/**
 * Finds a caller's applications and services by id or name: another user's objects are not found, except by id for
 * an administrator.
 */
final class Lookup {
    private final Store store;
    private final Accounts accounts;

    Lookup(Store store, Accounts accounts) {
        this.store = store;
        this.accounts = accounts;
    }

    ApplicationEntity application(EntityManager em, String user, String app) {
        return store.application(em, user, app, accounts.isAdmin(user));
    }

    ServiceEntity service(EntityManager em, String user, String app, String svc) {
        return store.service(em, application(em, user, app), svc);
    }

    /** The identity of a caller's service, read in a transaction of its own. */
    ServiceKey service(String user, String app, String svc) {
        return store.tx(em -> {
            ApplicationEntity a = application(em, user, app);
            return ServiceKey.of(a, store.service(em, a, svc));
        });
    }

    long applicationId(String user, String app) {
        return store.tx(em -> application(em, user, app).getId());
    }
}
