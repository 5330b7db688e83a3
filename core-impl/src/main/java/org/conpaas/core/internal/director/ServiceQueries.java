package org.conpaas.core.internal.director;

import java.util.List;
import org.conpaas.api.ConflictException;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.StateChange;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.agent.AgentClient;
import org.conpaas.core.internal.persistence.ServiceEntity;
import org.conpaas.core.internal.persistence.Store;

/** What a caller may read of services and nodes: info, nodes, history, logs. Changes nothing. */
final class ServiceQueries {
    private final Store store;
    private final Lookup lookup;
    private final ServiceTypeRegistry types;
    private final AgentClient agentClient;
    private final ServiceManagers managers;

    ServiceQueries(Store store, Lookup lookup, ServiceTypeRegistry types, AgentClient agentClient,
            ServiceManagers managers) {
        this.store = store;
        this.lookup = lookup;
        this.types = types;
        this.agentClient = agentClient;
        this.managers = managers;
    }

    List<NodeInfo> resources(String user) {
        return store.tx(em -> store.nodesOfOwner(em, user).stream()
                .map(n -> Store.info(n, em.find(ServiceEntity.class, n.getServiceId()).getNumber()))
                .toList());
    }

    List<ServiceInfo> services(String user, String app) {
        return store.tx(em -> store.services(em, lookup.application(em, user, app).getId()).stream()
                .map(s -> store.info(em, s, types.isInstalled(s.getType()))).toList());
    }

    ServiceInfo service(String user, String app, String svc) {
        return store.tx(em -> {
            ServiceEntity s = lookup.service(em, user, app, svc);
            return store.info(em, s, types.isInstalled(s.getType()));
        });
    }

    /** A service by its database id (for settle waiters, whose caller was checked when they registered). */
    ServiceInfo service(long serviceDbId) {
        return store.tx(em -> {
            ServiceEntity s = em.find(ServiceEntity.class, serviceDbId);
            if (s == null) {
                throw new org.conpaas.api.NotFoundException("the service was removed");
            }
            return store.info(em, s, types.isInstalled(s.getType()));
        });
    }

    List<NodeInfo> nodes(String user, String app, String svc) {
        return store.tx(em -> {
            ServiceEntity s = lookup.service(em, user, app, svc);
            return store.nodes(em, s.getId()).stream().map(n -> Store.info(n, s.getNumber())).toList();
        });
    }

    NodeInfo node(String user, String app, String svc, String node) {
        return store.tx(em -> {
            ServiceEntity s = lookup.service(em, user, app, svc);
            return Store.info(store.node(em, s, node), s.getNumber());
        });
    }

    String nodeLog(String user, String app, String svc, String node, String file, int tail) {
        ServiceNode target = store.tx(em -> Store.serviceNode(store.node(em, lookup.service(em, user, app, svc),
                node)));
        if (target.address() == null) {
            throw new ConflictException("node " + node + " has no address yet");
        }
        return agentClient.log(target, file == null || file.isBlank() ? "agent.log" : file, Math.max(0, tail));
    }

    List<StateChange> history(String user, String app, String svc) {
        return store.tx(em -> store.history(em, lookup.service(em, user, app, svc).getId()));
    }

    String managerLog(String user, String app, String svc, int tail) {
        long serviceDbId = store.tx(em -> lookup.service(em, user, app, svc).getId());
        return managers.logFile(serviceDbId).read(Math.max(0, tail));
    }
}
