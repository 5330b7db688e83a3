package org.conpaas.core.internal.director;

import java.util.function.Supplier;
import org.conpaas.api.model.ServiceTypeInfo;
import org.conpaas.api.service.ServiceType;

/** A service type that is installed now, with its bundle's version and the jar to push to agents. */
public record RegisteredType(ServiceType type, String version, Supplier<byte[]> bundleJar) {

    public String name() {
        return type.name();
    }

    public ServiceTypeInfo info() {
        return new ServiceTypeInfo(type.name(), type.description(), type.roles(), type.defaultRole(),
                type.startingNodes(), type.operations(), version);
    }
}
