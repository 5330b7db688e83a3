package org.conpaas.core.internal.director;

import java.util.List;
import java.util.Set;
import org.conpaas.api.State;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.persistence.NodeEntity;
import org.conpaas.core.internal.persistence.ServiceEntity;
import org.conpaas.core.internal.persistence.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Giving nodes back to their clouds: a whole service (its manager stops first) or some nodes after a failure. */
final class NodeRelease {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRelease.class);

    private final Store store;
    private final ServiceTypeRegistry types;
    private final ServiceManagers managers;
    private final NodeProvisioner provisioner;

    NodeRelease(Store store, ServiceTypeRegistry types, ServiceManagers managers, NodeProvisioner provisioner) {
        this.store = store;
        this.types = types;
        this.managers = managers;
        this.provisioner = provisioner;
    }

    /**
     * Lets the manager stop (if its type is installed) and releases every node of a service the caller has claimed
     * (EPILOGUE). The outcome says how it went (with {@code why} as the reason, and how many nodes went when
     * {@code count}); the caller settles the service with it.
     */
    OperationEngine.Outcome service(ServiceKey key, String why, boolean count) {
        ManagedService service = null;
        if (types.isInstalled(key.type())) {
            try {
                service = managers.managed(key);
                service.manager().onStop();
            } catch (Exception e) {
                ServiceManagers.logError(service, "the manager failed to stop cleanly (" + why + "): "
                        + Reasons.of(e), e);
            }
        }
        managers.forget(key.serviceDbId());
        List<NodeEntity> nodes = store.tx(em -> store.nodes(em, key.serviceDbId()));
        try {
            provisioner.release(nodes);
        } catch (RuntimeException e) {
            managers.logFile(key.serviceDbId()).error("releasing nodes failed: " + Reasons.of(e), e);
            return new OperationEngine.Outcome(State.ERROR, "stop failed: its nodes could not all be released ("
                    + Reasons.of(e) + ")");
        }
        if (!nodes.isEmpty()) {
            managers.logFile(key.serviceDbId()).info("released " + nodes.size() + " node(s): " + why);
        }
        store.tx(em -> {
            ServiceEntity s = em.find(ServiceEntity.class, key.serviceDbId());
            if (s != null) {
                s.setUrl(null); // nothing serves any more
            }
            return null;
        });
        return new OperationEngine.Outcome(State.STOPPED, count ? why + "; released " + nodes.size() + " node(s)"
                : why);
    }

    /** Releases every node of a service after a failed start; never throws. */
    void allQuietly(ServiceKey key) {
        try {
            provisioner.release(store.tx(em -> store.nodes(em, key.serviceDbId())));
        } catch (RuntimeException e) {
            LOG.error("cannot release the nodes of service {}: {}", key, e.getMessage());
        }
    }

    /** Releases the given nodes of a service; never throws. */
    void quietly(ServiceKey key, List<ServiceNode> nodes) {
        if (nodes.isEmpty()) {
            return;
        }
        try {
            some(key, nodes);
        } catch (RuntimeException e) {
            LOG.error("cannot release nodes {} of service {}: {}", Reasons.ids(nodes), key, e.getMessage());
        }
    }

    /** Releases the given nodes of a service. */
    void some(ServiceKey key, List<ServiceNode> nodes) {
        Set<String> ids = Set.copyOf(Reasons.ids(nodes));
        provisioner.release(store.tx(em -> store.nodes(em, key.serviceDbId()).stream()
                .filter(n -> ids.contains(n.getNodeId())).toList()));
    }
}
