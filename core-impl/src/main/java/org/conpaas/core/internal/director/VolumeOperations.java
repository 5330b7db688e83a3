package org.conpaas.core.internal.director;

import java.util.List;
import java.util.regex.Pattern;
import org.conpaas.api.ConflictException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.model.NodeStatus;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.VolumeInfo;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.api.State;
import org.conpaas.core.internal.persistence.NodeEntity;
import org.conpaas.core.internal.persistence.ServiceEntity;
import org.conpaas.core.internal.persistence.Store;
import org.conpaas.core.internal.persistence.VolumeEntity;

/** Volumes of a service: created on and attached to one node, mounted there; deleted with their data. */
final class VolumeOperations {
    /** The names {@link NodeVolumes} gives (node ids are {@code node-<n>}): not for users' own volumes. */
    private static final Pattern NODE_VOLUME = Pattern.compile("node-[0-9]+" + NodeEnvironment.nodeVolumeName(""));
    private final Store store;
    private final Lookup lookup;
    private final OperationEngine engine;
    private final ServiceManagers managers;
    private final VolumeKeeper volumes;
    private final ServiceLifecycle lifecycle;

    VolumeOperations(Store store, Lookup lookup, OperationEngine engine, ServiceManagers managers,
            VolumeKeeper volumes, ServiceLifecycle lifecycle) {
        this.store = store;
        this.lookup = lookup;
        this.engine = engine;
        this.managers = managers;
        this.volumes = volumes;
        this.lifecycle = lifecycle;
    }

    List<VolumeInfo> list(String user, String app, String svc) {
        return store.tx(em -> store.volumes(em, lookup.service(em, user, app, svc).getId()).stream()
                .map(VolumeEntity::info).toList());
    }

    ServiceInfo create(String user, String app, String svc, String name, int sizeMb, String node) {
        VolumeKeeper.validate(name, sizeMb);
        if (node == null || node.isBlank()) {
            throw new InvalidInputException("node", "the node to attach the volume to is required");
        }
        ServiceKey key = lookup.service(user, app, svc);
        // The node may be named by id, database id or VM id; the volume records its node id.
        NodeEntity target = store.tx(em -> store.node(em, lookup.service(em, user, app, svc), node));
        String nodeId = target.getNodeId();
        lifecycle.requireState(key, "create volume", ServiceLifecycle.CHANGEABLE);
        store.tx(em -> checkCreatable(em, em.find(ServiceEntity.class, key.serviceDbId()), name, nodeId));
        volumes.requireVolumes(target.getCloud());
        ServiceManager manager = managers.managed(key).manager();
        ServiceNode serviceNode = Store.serviceNode(target);
        manager.checkCreateVolume(name, sizeMb, serviceNode);
        OperationEngine.Claim claim = engine.claim(key, "create volume", ServiceLifecycle.CHANGEABLE,
                State.ADAPTING, "creating volume " + name + " (" + sizeMb + " MB) on " + nodeId, (em, s) -> checkCreatable(em, s, name, nodeId));
        engine.run(claim, cancelled -> ServiceLifecycle.confirmed(
                () -> manager.checkCreateVolume(name, sizeMb, serviceNode), () -> runCreate(key, name, sizeMb,
                        nodeId)));
        return claim.info();
    }

    ServiceInfo delete(String user, String app, String svc, String name) {
        ServiceKey key = lookup.service(user, app, svc);
        lifecycle.requireState(key, "delete volume", ServiceLifecycle.CHANGEABLE);
        store.tx(em -> requireVolume(em.find(ServiceEntity.class, key.serviceDbId()), name));
        ServiceManager manager = managers.managed(key).manager();
        manager.checkDeleteVolume(name);
        OperationEngine.Claim claim = engine.claim(key, "delete volume", ServiceLifecycle.CHANGEABLE,
                State.ADAPTING, "deleting volume " + name, (em, s) -> requireVolume(s, name));
        engine.run(claim, cancelled -> ServiceLifecycle.confirmed(() -> manager.checkDeleteVolume(name),
                () -> runDelete(key, name)));
        return claim.info();
    }

    private Void checkCreatable(javax.persistence.EntityManager em, ServiceEntity s, String name, String nodeId) {
        if (NODE_VOLUME.matcher(name).matches()) {
            throw new InvalidInputException("name", "'" + name + "' is the name of a node's own volume (the service "
                    + "type gives those); choose another name");
        }
        if (store.volume(em, s.getId(), name).isPresent()) {
            throw new ConflictException("the service already has a volume named '" + name + "'");
        }
        NodeEntity n = store.node(em, s, nodeId);
        if (n.getStatus() != NodeStatus.RUNNING) {
            throw new ConflictException("node " + n.getNodeId() + " is " + n.getStatus()
                    + "; volumes attach to running nodes only");
        }
        return null;
    }

    private Void requireVolume(ServiceEntity s, String name) {
        VolumeEntity volume = store.tx(em -> store.volume(em, s.getId(), name)).orElseThrow(
                () -> new NotFoundException("volume " + name + " not found in service " + s.getName()));
        if (name.equals(NodeEnvironment.nodeVolumeName(volume.getNodeId()))) {
            throw new ConflictException("volume " + name + " is " + volume.getNodeId() + "'s own, where the service "
                    + "keeps its data; it goes when the node is removed");
        }
        return null;
    }

    private OperationEngine.Outcome runCreate(ServiceKey key, String name, int sizeMb, String nodeId) {
        ManagedService service = null;
        try {
            service = managers.managed(key);
            ServiceNode node = service.nodes().stream().filter(n -> n.id().equals(nodeId)).findFirst()
                    .orElseThrow(() -> new ConflictException("node " + nodeId + " is no longer running"));
            VolumeInfo created = volumes.create(key, node, name, sizeMb);
            service.log().info("created volume " + name + " (" + sizeMb + " MB) on " + nodeId + " at "
                    + created.path());
            return OperationEngine.Outcome.running("created volume " + name + " on " + nodeId);
        } catch (Exception e) {
            String why = "creating volume " + name + " failed: " + Reasons.of(e);
            ServiceManagers.logError(service, why, e);
            // Nothing half-made is left and the nodes are untouched, so the service keeps running.
            return OperationEngine.Outcome.running(why);
        }
    }

    private OperationEngine.Outcome runDelete(ServiceKey key, String name) {
        ManagedService service = null;
        try {
            service = managers.managed(key);
            VolumeEntity volume = store.tx(em -> store.volume(em, key.serviceDbId(), name)).orElseThrow(
                    () -> new NotFoundException("volume " + name + " not found"));
            ServiceNode node = service.nodes().stream().filter(n -> n.id().equals(volume.getNodeId())).findFirst()
                    .orElse(null);
            volumes.delete(volume, node);
            service.log().info("deleted volume " + name + " of " + volume.getNodeId());
            return OperationEngine.Outcome.running("deleted volume " + name);
        } catch (Exception e) {
            String why = "deleting volume " + name + " failed: " + Reasons.of(e);
            ServiceManagers.logError(service, why, e);
            return OperationEngine.Outcome.running(why);
        }
    }
}
