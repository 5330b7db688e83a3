package org.conpaas.core.internal.director;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.conpaas.api.TypeNotInstalledException;
import org.conpaas.api.service.ServiceType;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The service types installed now. Types come and go with their bundles (hot deployment). */
@Component(service = ServiceTypeRegistry.class, immediate = true)
public class ServiceTypeRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceTypeRegistry.class);

    private final Map<String, RegisteredType> types = new ConcurrentHashMap<>();
    private final List<Consumer<String>> removalListeners = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindServiceType(ServiceType type, ServiceReference<ServiceType> ref) {
        Bundle bundle = ref.getBundle();
        register(new RegisteredType(type, bundle.getVersion().toString(), new BundleJar(bundle)::bytes));
    }

    void unbindServiceType(ServiceType type) {
        unregister(type.name(), type);
    }

    public void register(RegisteredType registered) {
        types.put(registered.name(), registered);
        LOG.info("service type {} {} installed", registered.name(), registered.version());
    }

    /** Forgets a type, unless another registration has replaced it meanwhile (bundle update). */
    public void unregister(String name, ServiceType instance) {
        boolean removed = types.computeIfPresent(name, (n, t) -> t.type() == instance ? null : t) == null;
        if (removed) {
            LOG.info("service type {} uninstalled", name);
            removalListeners.forEach(listener -> listener.accept(name));
        }
    }

    /** Called with the type name when a type disappears. */
    public void onRemoval(Consumer<String> listener) {
        removalListeners.add(listener);
    }

    public Optional<RegisteredType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    public RegisteredType require(String name) {
        return find(name).orElseThrow(() -> new TypeNotInstalledException(name));
    }

    public boolean isInstalled(String name) {
        return types.containsKey(name);
    }

    public List<RegisteredType> all() {
        return types.values().stream().sorted(Comparator.comparing(RegisteredType::name)).toList();
    }
}
