package org.conpaas.core.shell;

import org.conpaas.api.TypeNotInstalledException;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.ServiceTypeInfo;

/** The default role of a service's type, which a bare node count refers to. */
final class DefaultRoles {

    private DefaultRoles() {
    }

    static String of(Director director, ServiceInfo service) {
        return director.serviceTypes().stream().filter(t -> t.name().equals(service.type())).findFirst()
                .map(ServiceTypeInfo::defaultRole)
                .orElseThrow(() -> new TypeNotInstalledException(service.type()));
    }
}
