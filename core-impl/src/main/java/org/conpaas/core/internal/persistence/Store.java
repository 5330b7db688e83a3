package org.conpaas.core.internal.persistence;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import javax.persistence.EntityManager;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.State;
import org.conpaas.api.model.ApplicationInfo;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.NodeStatus;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.StateChange;
import org.conpaas.api.service.ServiceNode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The director's queries over its tables. Look-ups take the caller's user id, so another user's object is simply
 * "not found". Entities never leave core-impl: callers get the model records.
 */
@Component(service = Store.class)
public class Store {
    private final Transactions tx;
    private final Clock clock;

    @Activate
    public Store(@Reference Transactions tx) {
        this(tx, Clock.systemUTC());
    }

    public Store(Transactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    public <R> R tx(Function<EntityManager, R> work) {
        return tx.call(work);
    }

    public Instant now() {
        return clock.instant();
    }

    // ---- applications

    /** An application of {@code owner} by id or by name. */
    public ApplicationEntity application(EntityManager em, String owner, String ref) {
        return application(em, owner, ref, false);
    }

    /**
     * An application of {@code owner} by id or by name; with {@code anyOwnerById} (administrators) an id finds the
     * application whoever owns it, while names still resolve among the caller's own applications.
     */
    public ApplicationEntity application(EntityManager em, String owner, String ref, boolean anyOwnerById) {
        if (ref == null || ref.isBlank()) {
            throw new InvalidInputException("application", "an application id or name is required");
        }
        List<ApplicationEntity> found = isNumber(ref)
                ? em.createQuery("select a from ApplicationEntity a where a.id = :id", ApplicationEntity.class)
                        .setParameter("id", Long.parseLong(ref)).getResultList().stream()
                        .filter(a -> anyOwnerById || a.getOwnerId().equals(owner)).toList()
                : List.of();
        if (found.isEmpty()) {
            found = em.createQuery("select a from ApplicationEntity a where a.name = :name and a.ownerId = :owner",
                    ApplicationEntity.class).setParameter("name", ref).setParameter("owner", owner).getResultList();
        }
        if (found.isEmpty()) {
            throw new NotFoundException("application " + ref + " not found");
        }
        return found.get(0);
    }

    public boolean applicationNameTaken(EntityManager em, String owner, String name) {
        return !em.createQuery("select a.id from ApplicationEntity a where a.name = :name and a.ownerId = :owner")
                .setParameter("name", name).setParameter("owner", owner).getResultList().isEmpty();
    }

    public List<ApplicationEntity> applications(EntityManager em, String owner) {
        return em.createQuery("select a from ApplicationEntity a where a.ownerId = :owner order by a.id",
                ApplicationEntity.class).setParameter("owner", owner).getResultList();
    }

    public static ApplicationInfo info(ApplicationEntity a) {
        return new ApplicationInfo(a.getId(), a.getName(), a.getOwnerId(), a.getState(), a.getCreated());
    }

    // ---- services

    /** A service of an application by number or by name; a name shared by several services must be given as id. */
    public ServiceEntity service(EntityManager em, ApplicationEntity app, String ref) {
        if (ref == null || ref.isBlank()) {
            throw new InvalidInputException("service", "a service id or name is required");
        }
        if (isNumber(ref) && ref.length() < 10) {
            List<ServiceEntity> byNumber = em.createQuery(
                    "select s from ServiceEntity s where s.applicationId = :app and s.number = :number",
                    ServiceEntity.class).setParameter("app", app.getId()).setParameter("number", Integer.parseInt(ref))
                    .getResultList();
            if (!byNumber.isEmpty()) {
                return byNumber.get(0);
            }
        }
        List<ServiceEntity> byName = em.createQuery(
                "select s from ServiceEntity s where s.applicationId = :app and s.name = :name", ServiceEntity.class)
                .setParameter("app", app.getId()).setParameter("name", ref).getResultList();
        if (byName.size() > 1) {
            throw new InvalidInputException("service", "several services of application " + app.getName()
                    + " are named '" + ref + "'; use the service id");
        }
        if (byName.isEmpty()) {
            throw new NotFoundException("service " + ref + " not found in application " + app.getName());
        }
        return byName.get(0);
    }

    public List<ServiceEntity> services(EntityManager em, long applicationId) {
        return em.createQuery("select s from ServiceEntity s where s.applicationId = :app order by s.number",
                ServiceEntity.class).setParameter("app", applicationId).getResultList();
    }

    public List<ServiceEntity> servicesInStates(EntityManager em, Set<State> states) {
        return em.createQuery("select s from ServiceEntity s where s.state in :states order by s.id",
                ServiceEntity.class).setParameter("states", states).getResultList();
    }

    public ServiceInfo info(EntityManager em, ServiceEntity s, boolean typeInstalled) {
        Map<String, Integer> counts = new TreeMap<>();
        for (NodeEntity n : nodes(em, s.getId())) {
            counts.merge(n.getRole(), 1, Integer::sum);
        }
        return new ServiceInfo(s.getApplicationId(), s.getNumber(), s.getName(), s.getType(), s.getState(),
                s.getStateReason(), typeInstalled, s.getCloud(), s.getCreated(), counts, s.getUrl(),
                s.isReplaceFailedNodes());
    }

    /** Sets a service's state and appends it to the history, in the caller's transaction. */
    public void changeState(EntityManager em, ServiceEntity s, State state, String reason) {
        s.setState(state, reason);
        em.persist(new StateChangeEntity(s.getId(), now(), state, reason));
    }

    public List<StateChange> history(EntityManager em, long serviceId) {
        return em.createQuery("select h from StateChangeEntity h where h.serviceId = :s order by h.id",
                StateChangeEntity.class).setParameter("s", serviceId).getResultList().stream()
                .map(h -> new StateChange(h.getTime(), h.getState(), h.getReason())).toList();
    }

    /** Deletes a service with its nodes, volumes, history and manager state. */
    public void deleteService(EntityManager em, ServiceEntity s) {
        for (String entity : List.of("NodeEntity", "VolumeEntity", "StateChangeEntity", "ManagerStateEntity")) {
            em.createQuery("delete from " + entity + " e where e.serviceId = :s").setParameter("s", s.getId())
                    .executeUpdate();
        }
        em.remove(s);
    }

    // ---- volumes

    public List<VolumeEntity> volumes(EntityManager em, long serviceId) {
        return em.createQuery("select v from VolumeEntity v where v.serviceId = :s order by v.name",
                VolumeEntity.class).setParameter("s", serviceId).getResultList();
    }

    public Optional<VolumeEntity> volume(EntityManager em, long serviceId, String name) {
        return volumes(em, serviceId).stream().filter(v -> v.getName().equals(name)).findFirst();
    }

    // ---- nodes

    public List<NodeEntity> nodes(EntityManager em, long serviceId) {
        return em.createQuery("select n from NodeEntity n where n.serviceId = :s order by n.id", NodeEntity.class)
                .setParameter("s", serviceId).getResultList();
    }

    public List<NodeEntity> nodesOfOwner(EntityManager em, String owner) {
        return em.createQuery("select n from NodeEntity n, ApplicationEntity a where n.applicationId = a.id "
                + "and a.ownerId = :owner order by n.id", NodeEntity.class).setParameter("owner", owner)
                .getResultList();
    }

    public List<NodeEntity> allNodes(EntityManager em) {
        return em.createQuery("select n from NodeEntity n order by n.id", NodeEntity.class).getResultList();
    }

    public NodeEntity node(EntityManager em, ServiceEntity s, String ref) {
        return nodes(em, s.getId()).stream()
                .filter(n -> n.getNodeId().equals(ref) || String.valueOf(n.getId()).equals(ref)
                        || ref.equals(n.getVmId()))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("node " + ref + " not found in service " + s.getName()));
    }

    public static NodeInfo info(NodeEntity n, int serviceNumber) {
        return new NodeInfo(n.getNodeId(), n.getApplicationId(), serviceNumber, n.getRole(), n.getCloud(),
                n.getVmId(), n.getAddress(), n.getPort(), n.getStatus(), n.getStatusReason(), n.getCreated(),
                n.getCodeVersion(), n.getMachine());
    }

    public static ServiceNode serviceNode(NodeEntity n) {
        return new ServiceNode(n.getNodeId(), n.getRole(), n.getAddress(), n.getPort(), n.getCloud(), n.getVmId());
    }

    /** Records the code version a node of a service serves now; an unknown (released) node is ignored. */
    public void recordCodeVersion(EntityManager em, long serviceId, String nodeId, String version) {
        nodes(em, serviceId).stream().filter(n -> n.getNodeId().equals(nodeId)).findFirst()
                .ifPresent(n -> n.setCodeVersion(version));
    }

    /** The running nodes of a service, as its manager sees them. */
    public List<ServiceNode> runningNodes(EntityManager em, long serviceId) {
        return nodes(em, serviceId).stream().filter(n -> n.getStatus() == NodeStatus.RUNNING)
                .map(Store::serviceNode).toList();
    }

    /** The nodes of a service that failed (kept until the service stops), as its manager sees them. */
    public List<ServiceNode> failedNodes(EntityManager em, long serviceId) {
        return nodes(em, serviceId).stream().filter(n -> n.getStatus() == NodeStatus.FAILED)
                .map(Store::serviceNode).toList();
    }

    /**
     * The running nodes of every service in {@code states}: what the health monitor watches. Services still starting,
     * changing or stopping are left out, so a node is never declared failed in the middle of a life-cycle step.
     */
    public List<NodeEntity> runningNodesOfServicesIn(EntityManager em, Set<State> states) {
        return em.createQuery("select n from NodeEntity n, ServiceEntity s where n.serviceId = s.id "
                + "and n.status = :running and s.state in :states order by n.id", NodeEntity.class)
                .setParameter("running", NodeStatus.RUNNING).setParameter("states", states).getResultList();
    }

    // ---- manager state

    public Map<String, String> managerState(EntityManager em, long serviceId) {
        Map<String, String> all = new LinkedHashMap<>();
        em.createQuery("select m from ManagerStateEntity m where m.serviceId = :s order by m.key",
                ManagerStateEntity.class).setParameter("s", serviceId).getResultList()
                .forEach(m -> all.put(m.getKey(), m.getValue()));
        return all;
    }

    public void putManagerState(EntityManager em, long serviceId, String key, String value) {
        List<ManagerStateEntity> found = em.createQuery(
                "select m from ManagerStateEntity m where m.serviceId = :s and m.key = :k", ManagerStateEntity.class)
                .setParameter("s", serviceId).setParameter("k", key).getResultList();
        if (found.isEmpty()) {
            em.persist(new ManagerStateEntity(serviceId, key, value));
        } else {
            found.get(0).setValue(value);
        }
    }

    public void removeManagerState(EntityManager em, long serviceId, String key) {
        em.createQuery("delete from ManagerStateEntity m where m.serviceId = :s and m.key = :k")
                .setParameter("s", serviceId).setParameter("k", key).executeUpdate();
    }

    private static boolean isNumber(String ref) {
        return !ref.isEmpty() && ref.length() < 19 && ref.chars().allMatch(Character::isDigit);
    }
}
