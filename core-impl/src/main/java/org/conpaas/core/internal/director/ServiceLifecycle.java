package org.conpaas.core.internal.director;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.conpaas.api.cloud.CloudCapability;
import org.conpaas.api.cloud.NodeSize;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.State;
import org.conpaas.api.WrongStateException;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.code.CodeVersions;
import org.conpaas.core.internal.credit.Credits;
import org.conpaas.core.internal.persistence.ApplicationEntity;
import org.conpaas.core.internal.persistence.ServiceEntity;
import org.conpaas.core.internal.persistence.Store;

/**
 * Services and their nodes: add and remove services, start, stop, add and remove nodes. Each change is claimed and
 * settled by the {@link OperationEngine}; this class holds what the changes do.
 */
final class ServiceLifecycle {
    private static final Set<State> STARTABLE = EnumSet.of(State.INIT, State.STOPPED);
    /** A stop may also cut a start or a change short: whatever is in flight is cancelled and released. */
    private static final Set<State> STOPPABLE = EnumSet.of(State.RUNNING, State.ERROR, State.PROLOGUE,
            State.ADAPTING);
    static final Set<State> CHANGEABLE = EnumSet.of(State.RUNNING);
    private static final Set<State> REMOVABLE = EnumSet.of(State.INIT, State.STOPPED, State.RUNNING, State.ERROR);

    private final Store store;
    private final Lookup lookup;
    private final OperationEngine engine;
    private final ServiceTypeRegistry types;
    private final CloudRegistry clouds;
    private final Credits credits;
    private final CodeVersions code;
    private final ServiceManagers managers;
    private final NodeProvisioner provisioner;
    private final NodeRelease release;
    private final Supplier<InputLimits> limits;

    ServiceLifecycle(Store store, Lookup lookup, OperationEngine engine, ServiceTypeRegistry types,
            CloudRegistry clouds, Credits credits, CodeVersions code, ServiceManagers managers,
            NodeProvisioner provisioner, NodeRelease release, Supplier<InputLimits> limits) {
        this.store = store;
        this.lookup = lookup;
        this.engine = engine;
        this.types = types;
        this.clouds = clouds;
        this.credits = credits;
        this.code = code;
        this.managers = managers;
        this.provisioner = provisioner;
        this.release = release;
        this.limits = limits;
    }

    // ---------------------------------------------------------------- services

    ServiceInfo add(String user, String app, String type, String name) {
        if (type == null || type.isBlank()) {
            throw new InvalidInputException("type", "a service type is required");
        }
        if (!types.isInstalled(type)) {
            throw new InvalidInputException("type", "unknown service type '" + type + "'; installed types: "
                    + types.all().stream().map(RegisteredType::name).toList());
        }
        String checked = Names.check("name", name == null ? "New " + type + " service" : name);
        long applicationId = lookup.applicationId(user, app);
        ServiceEntity created = engine.withApplication(applicationId, () -> store.tx(em -> {
            ApplicationEntity a = em.find(ApplicationEntity.class, applicationId);
            if (a.getState() != State.RUNNING) {
                throw new WrongStateException("add a service to application " + a.getName(), a.getState(),
                        EnumSet.of(State.RUNNING));
            }
            ServiceEntity s = new ServiceEntity(a.getId(), a.nextServiceNumber(), checked, type, store.now());
            em.persist(s);
            em.flush();
            store.changeState(em, s, State.INIT, "created");
            return s;
        }));
        installDefaultCode(created.getId(), types.require(type));
        return store.tx(em -> store.info(em, em.find(ServiceEntity.class, created.getId()), true));
    }

    /** A type's own code becomes the new service's active {@code code-default}. */
    private void installDefaultCode(long serviceDbId, RegisteredType type) {
        Optional<byte[]> archive = type.type().defaultCode();
        if (archive.isEmpty()) {
            return;
        }
        Path file = null;
        try {
            file = Files.createTempFile("code-default", ".archive");
            Files.write(file, archive.get());
            code.installDefault(serviceDbId, new UploadedFile("file", "code-default", file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the default code of " + type.name(), e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    ServiceInfo rename(String user, String app, String svc, String newName) {
        String checked = Names.check("name", newName);
        return store.tx(em -> {
            ServiceEntity s = lookup.service(em, user, app, svc);
            s.setName(checked);
            return store.info(em, s, types.isInstalled(s.getType()));
        });
    }

    ServiceInfo setReplaceFailedNodes(String user, String app, String svc, boolean replace) {
        return store.tx(em -> {
            ServiceEntity s = lookup.service(em, user, app, svc);
            s.setReplaceFailedNodes(replace);
            return store.info(em, s, types.isInstalled(s.getType()));
        });
    }

    /** Claims the service (EPILOGUE), releases its nodes and deletes it with everything it had. */
    void remove(String user, String app, String svc) {
        ServiceKey key = lookup.service(user, app, svc);
        OperationEngine.Claim claim = engine.claim(key, "remove service", REMOVABLE, State.EPILOGUE,
                "the service is being removed", (em, s) -> { });
        boolean holdsNodes = store.tx(em -> !store.nodes(em, key.serviceDbId()).isEmpty());
        if (holdsNodes) {
            OperationEngine.Outcome released = engine.stopNow(key,
                    () -> release.service(claim.key(), "the service is being removed", false));
            if (released.state() == State.ERROR) {
                // Its machines could not all be terminated: the service stays (ERROR), so nothing is forgotten.
                engine.finish(key, released);
                throw new org.conpaas.api.CloudException(released.reason());
            }
        }
        store.tx(em -> {
            ServiceEntity s = em.find(ServiceEntity.class, key.serviceDbId());
            if (s != null) {
                store.deleteService(em, s);
            }
            return null;
        });
        managers.deleteFiles(key.serviceDbId());
        engine.removed(key);
    }

    // ---------------------------------------------------------------- start and stop

    ServiceInfo start(String user, String app, String svc, String cloudName) {
        CloudDriver cloud = clouds.requireAvailable(cloudName);
        ServiceKey key = lookup.service(user, app, svc);
        types.require(key.type());
        credits.requireCredit(key.owner(), "start a service");
        OperationEngine.Claim claim = engine.claim(key, "start service", STARTABLE, State.PROLOGUE,
                "starting on cloud " + cloud.name(), (em, s) -> {
                    ApplicationEntity a = OperationEngine.applicationOf(em, s);
                    if (a.getState() != State.RUNNING) {
                        throw new WrongStateException("start a service of application " + a.getName(),
                                a.getState(), EnumSet.of(State.RUNNING));
                    }
                    s.setCloud(cloud.name());
                });
        engine.run(claim, cancelled -> runStart(key, cloud, cancelled));
        return claim.info();
    }

    ServiceInfo stop(String user, String app, String svc) {
        ServiceKey key = lookup.service(user, app, svc);
        types.require(key.type());
        OperationEngine.Claim claim = engine.claim(key, "stop service", STOPPABLE, State.EPILOGUE, "stopping",
                (em, s) -> { });
        engine.runStop(claim, () -> release.service(key, "stopped", true));
        return claim.info();
    }

    /**
     * Credit exhausted (or user deleted): every settled service holding nodes is claimed and its nodes released;
     * services and data stay. A service busy with a change is left to finish it: the next credit check stops it.
     */
    void stopAllOf(String username, String reason) {
        List<ServiceKey> holding = store.tx(em -> store.applications(em, username).stream()
                .flatMap(a -> store.services(em, a.getId()).stream()
                        .filter(s -> s.getState() == State.RUNNING || s.getState() == State.ERROR)
                        .map(s -> ServiceKey.of(a, s)))
                .toList());
        for (ServiceKey key : holding) {
            OperationEngine.Claim claim;
            try {
                claim = engine.claim(key, "stop service", EnumSet.of(State.RUNNING, State.ERROR), State.EPILOGUE,
                        reason, (em, s) -> { });
            } catch (RuntimeException busyOrGone) {
                continue;
            }
            engine.finish(claim.key(), engine.stopNow(key, () -> release.service(key, reason, false)));
        }
    }

    private OperationEngine.Outcome runStart(ServiceKey key, CloudDriver cloud, BooleanSupplier cancelled) {
        ManagedService service = null;
        try {
            service = managers.managed(key);
            RegisteredType type = types.require(key.type());
            List<String> roles = NodeCounts.expand(type.type().startingNodes());
            List<ServiceNode> nodes = provisioner.provision(key, roles, cloud, type, cancelled);
            credits.nodesStarted(key.owner(), key.applicationId(), key.number(), nodes);
            service.log().info("started " + nodes.size() + " node(s): " + Reasons.ids(nodes));
            provisioner.giveNodeVolumes(key, nodes, service.manager(), service.log());
            service.manager().onStart(nodes);
            return OperationEngine.Outcome.running("started with " + nodes.size() + " node(s)");
        } catch (Exception e) {
            String why = "start failed: " + Reasons.of(e);
            ServiceManagers.logError(service, why, e);
            release.allQuietly(key);
            return new OperationEngine.Outcome(State.ERROR, why);
        }
    }

    // ---------------------------------------------------------------- nodes

    ServiceInfo addNodes(String user, String app, String svc, Map<String, Integer> roles, String cloudName,
            NodeSize size) {
        ServiceKey key = lookup.service(user, app, svc);
        RegisteredType type = types.require(key.type());
        InputLimits bounds = limits.get();
        Map<String, Integer> counts = NodeCounts.validate(type.type(), roles, bounds.maxNodesPerRequest(),
                "maxNodesPerRequest");
        credits.requireCredit(key.owner(), "add nodes");
        // New nodes go to the service's cloud unless the caller names another one.
        CloudDriver cloud = clouds.requireAvailable(cloudName == null
                ? store.tx(em -> em.find(ServiceEntity.class, key.serviceDbId()).getCloud()) : cloudName);
        NodeSize asked = size == null ? NodeSize.DEFAULT : size;
        if (!asked.isDefault() && !cloud.capabilities().contains(CloudCapability.NODE_SIZES)) {
            throw new InvalidInputException("memoryMb", "cloud " + cloud.name() + " cannot size nodes per request; "
                    + "its nodes get the sizes of its configuration");
        }
        requireState(key, "add nodes", CHANGEABLE);
        ServiceManager manager = managers.managed(key).manager();
        manager.checkAddNodes(counts);
        OperationEngine.Claim claim = engine.claim(key, "add nodes", CHANGEABLE, State.ADAPTING,
                "adding " + Reasons.describe(counts),
                (em, s) -> bounds.checkServiceSize(store.nodes(em, s.getId()).size(), NodeCounts.total(counts)));
        engine.run(claim, cancelled -> confirmed(() -> manager.checkAddNodes(counts),
                () -> runAddNodes(key, counts, cloud, asked, "", cancelled)));
        return claim.info();
    }

    /** Also replaces failed nodes ({@link FailedNodeHandler}); {@code purpose} then starts the reasons. */
    OperationEngine.Outcome runAddNodes(ServiceKey key, Map<String, Integer> counts, CloudDriver cloud,
            NodeSize size, String purpose, BooleanSupplier cancelled) {
        ManagedService service = null;
        List<ServiceNode> added = List.of();
        try {
            service = managers.managed(key);
            RegisteredType type = types.require(key.type());
            added = provisioner.provision(key, NodeCounts.expand(counts), cloud, type, size, cancelled);
            credits.nodesStarted(key.owner(), key.applicationId(), key.number(), added);
            provisioner.giveNodeVolumes(key, added, service.manager(), service.log());
            service.manager().onAddNodes(added);
            service.log().info(purpose + "added " + added.size() + " node(s): " + Reasons.ids(added));
            return OperationEngine.Outcome.running(purpose + "added " + Reasons.describe(counts) + " ("
                    + String.join(", ", Reasons.ids(added)) + ")");
        } catch (Exception e) {
            String why = purpose + "adding nodes failed: " + Reasons.of(e);
            ServiceManagers.logError(service, why, e);
            release.quietly(key, added);
            // Nothing is lost: the nodes the service had keep running, so it goes back to RUNNING.
            return OperationEngine.Outcome.running(why + "; the service keeps its other nodes");
        }
    }

    ServiceInfo removeNodes(String user, String app, String svc, Map<String, Integer> roles) {
        ServiceKey key = lookup.service(user, app, svc);
        RegisteredType type = types.require(key.type());
        Map<String, Integer> counts = NodeCounts.validate(type.type(), roles, limits.get().maxNodesPerService(),
                "maxNodesPerService");
        return removeNodes(key, counts, null);
    }

    /**
     * Removes the named nodes (the original's {@code remove_specific_nodes}): the same checks and steps as a removal
     * by counts (the type's rules see the counts per role), but the manager does not choose.
     */
    ServiceInfo removeChosenNodes(String user, String app, String svc, List<String> nodeIds) {
        ServiceKey key = lookup.service(user, app, svc);
        if (nodeIds == null || nodeIds.isEmpty()) {
            throw new InvalidInputException("nodes", "name at least one node to remove");
        }
        int max = limits.get().maxNodesPerRequest();
        if (nodeIds.size() > max) {
            throw new InvalidInputException("nodes", "Cannot remove " + nodeIds.size() + " nodes in one request: at "
                    + "most " + max + " (maxNodesPerRequest)");
        }
        Set<String> chosen = new LinkedHashSet<>(nodeIds);
        if (chosen.size() != nodeIds.size()) {
            throw new InvalidInputException("nodes", "a node is named twice: " + nodeIds);
        }
        Map<String, ServiceNode> running = new HashMap<>();
        store.tx(em -> store.runningNodes(em, key.serviceDbId())).forEach(n -> running.put(n.id(), n));
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String id : chosen) {
            ServiceNode node = running.get(id);
            if (node == null) {
                throw new NotFoundException("Service " + svc + " has no running node '"
                        + (id == null ? "" : id.length() > 64 ? id.substring(0, 64) + "…" : id) + "'.");
            }
            counts.merge(node.role(), 1, Integer::sum);
        }
        return removeNodes(key, counts, chosen);
    }

    /** {@code chosen}: the ids to remove, or null for the manager's choice. */
    private ServiceInfo removeNodes(ServiceKey key, Map<String, Integer> counts, Set<String> chosen) {
        requireState(key, "remove nodes", CHANGEABLE);
        // the type's refusal first: it says why a role's node cannot go (xtreemfs: "Cannot remove the MRC node.",
        // a role that has no node of its own), where the counts alone would only say that there is none
        ServiceManager manager = managers.managed(key).manager();
        manager.checkRemoveNodes(counts);
        store.tx(em -> checkRemovable(em.find(ServiceEntity.class, key.serviceDbId()), counts));
        String what = chosen == null ? Reasons.describe(counts) : String.join(", ", chosen);
        OperationEngine.Claim claim = engine.claim(key, "remove nodes", CHANGEABLE, State.ADAPTING,
                "removing " + what, (em, s) -> checkRemovable(s, counts));
        engine.run(claim, cancelled -> confirmed(() -> manager.checkRemoveNodes(counts),
                () -> runRemoveNodes(key, counts, chosen)));
        return claim.info();
    }

    private Void checkRemovable(ServiceEntity s, Map<String, Integer> counts) {
        Map<String, Integer> existing = new HashMap<>();
        store.tx(em -> store.runningNodes(em, s.getId())).forEach(n -> existing.merge(n.role(), 1, Integer::sum));
        NodeCounts.checkRemovable(counts, existing);
        return null;
    }

    private OperationEngine.Outcome runRemoveNodes(ServiceKey key, Map<String, Integer> counts, Set<String> ids) {
        ManagedService service = null;
        try {
            service = managers.managed(key);
            ServiceManager manager = service.manager();
            List<ServiceNode> current = service.nodes();
            List<ServiceNode> chosen = ids == null ? manager.selectNodesToRemove(counts, current)
                    : current.stream().filter(n -> ids.contains(n.id())).toList();
            if (ids != null && chosen.size() != ids.size()) {
                throw new IllegalStateException("a node named for removal is no longer running: " + ids);
            }
            if (chosen.size() != NodeCounts.total(counts) || !current.containsAll(chosen)) {
                throw new IllegalStateException("the manager chose " + Reasons.ids(chosen) + " to remove "
                        + Reasons.describe(counts));
            }
            manager.onRemoveNodes(chosen);
            release.some(key, chosen);
            service.log().info("removed node(s): " + Reasons.ids(chosen));
            return OperationEngine.Outcome.running("removed " + Reasons.describe(counts) + " ("
                    + String.join(", ", Reasons.ids(chosen)) + ")");
        } catch (Exception e) {
            String why = "removing nodes failed: " + Reasons.of(e);
            ServiceManagers.logError(service, why, e);
            // Nothing was released and the manager restored its nodes (see ServiceManager#onRemoveNodes).
            return OperationEngine.Outcome.running(why + "; the service keeps all its nodes");
        }
    }

    // ---------------------------------------------------------------- shared steps

    /** Fails early, before plug-in checks, when the service is not in a state the change needs. */
    void requireState(ServiceKey key, String action, Set<State> allowed) {
        store.tx(em -> {
            ServiceEntity s = em.find(ServiceEntity.class, key.serviceDbId());
            if (!allowed.contains(s.getState())) {
                throw new WrongStateException(action + " " + s.getName(), s.getState(), allowed);
            }
            return null;
        });
    }

    /**
     * Confirms a plug-in check once the change holds its claim (the service may have changed between the check
     * and the claim); a refusal now ends the change with the reason and changes nothing.
     */
    static OperationEngine.Outcome confirmed(Runnable check, Supplier<OperationEngine.Outcome> change) {
        try {
            check.run();
        } catch (RuntimeException e) {
            return OperationEngine.Outcome.running("refused: " + Reasons.of(e));
        }
        return change.get();
    }
}
