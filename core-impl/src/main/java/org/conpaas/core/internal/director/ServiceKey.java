package org.conpaas.core.internal.director;

import org.conpaas.core.internal.persistence.ApplicationEntity;
import org.conpaas.core.internal.persistence.ServiceEntity;

/** The identity of a service, read once inside a transaction and safe to pass to background work. */
record ServiceKey(long serviceDbId, long applicationId, int number, String owner, String type) {

    static ServiceKey of(ApplicationEntity app, ServiceEntity service) {
        return new ServiceKey(service.getId(), app.getId(), service.getNumber(), app.getOwnerId(), service.getType());
    }
}
