package org.conpaas.service.mysql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.conpaas.api.AgentException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceNode;

/**
 * The MySQL service's manager: one Galera cluster over the mysql nodes (the first bootstraps it, the others join it
 * one at a time), HAProxy on the glb nodes over all mysql nodes. Scaling follows the original: mysql nodes join the
 * running cluster and then every glb learns them; removed mysql nodes first leave every glb, let their clients finish
 * (bounded), then leave the cluster cleanly; one mysql node always stays.
 */
public class MysqlManager implements ServiceManager {

    public static final String LAST_MYSQL_STAYS = "at least one mysql node must stay; stop the service to remove all";
    /** How long a removed node's clients may take to finish. */
    static final int DRAIN_SECONDS = 30;
    static final String PARAM_KEY = "param.";

    final ServiceContext context;
    final Secrets secrets;
    private final MysqlUserOperations operations;
    private final int volumeMb;

    public MysqlManager(ServiceContext context, int volumeMb) {
        this.context = context;
        this.volumeMb = volumeMb;
        this.secrets = new Secrets(context.state());
        this.operations = new MysqlUserOperations(this);
    }

    /** Each mysql node keeps its data on a volume of its own (glb nodes keep nothing). */
    @Override
    public int nodeVolumeMb(String role) {
        return MysqlServiceType.MYSQL.equals(role) ? volumeMb : 0;
    }

    @Override
    public void onStart(List<ServiceNode> nodes) throws Exception {
        secrets.ensure();
        List<ServiceNode> mysqls = byRole(nodes, MysqlServiceType.MYSQL);
        ServiceNode first = mysqls.get(0);
        context.log().info("bootstrapping the cluster on " + first.id());
        context.agents().call(first, MysqlOperations.START_MYSQL, startParams(true, List.of(first)));
        context.agents().call(first, MysqlOperations.SETUP_ACCOUNTS, Map.of(
                MysqlOperations.PASSWORD, secrets.newUserPassword(),
                MysqlOperations.MONITOR_PASSWORD, secrets.monitor()));
        List<ServiceNode> members = new ArrayList<>(List.of(first));
        join(mysqls.subList(1, mysqls.size()), members);
        updateBalancers(byRole(nodes, MysqlServiceType.GLB), members);
        publish(nodes);
    }

    @Override
    public void onAddNodes(List<ServiceNode> added) throws Exception {
        Set<String> addedIds = ids(added);
        List<ServiceNode> members = new ArrayList<>(byRole(context.nodes(), MysqlServiceType.MYSQL).stream()
                .filter(n -> !addedIds.contains(n.id())).toList());
        List<ServiceNode> before = List.copyOf(members);
        join(byRole(added, MysqlServiceType.MYSQL), members);
        try {
            updatePeers(members);
            updateBalancers(byRole(context.nodes(), MysqlServiceType.GLB), members);
        } catch (RuntimeException e) {
            // the new nodes are released by the core: they leave the cluster cleanly first, the old glbs forget them
            leave(members.stream().filter(n -> addedIds.contains(n.id())).toList());
            updatePeers(before);
            updateBalancers(byRole(context.nodes(), MysqlServiceType.GLB).stream()
                    .filter(n -> !addedIds.contains(n.id())).toList(), before);
            throw e;
        }
        publish(context.nodes());
    }

    /**
     * Joins new mysql nodes one at a time (each gets the state of a member); {@code members} grows with every node
     * that is Synced with the expected cluster size. A node that fails leaves again, so do the ones joined before it
     * in this call (the core releases the whole batch), and the failure is thrown.
     */
    private void join(List<ServiceNode> joiners, List<ServiceNode> members) {
        List<ServiceNode> joined = new ArrayList<>();
        if (members.isEmpty() && !joiners.isEmpty()) {
            // every mysql node failed (a replacement arrives): the data is gone, a new cluster starts empty
            ServiceNode first = joiners.get(0);
            context.log().warn("no mysql node is left: " + first.id() + " bootstraps a new, empty cluster");
            context.agents().call(first, MysqlOperations.START_MYSQL, startParams(true, List.of(first)));
            context.agents().call(first, MysqlOperations.SETUP_ACCOUNTS, Map.of(
                    MysqlOperations.PASSWORD, secrets.newUserPassword(),
                    MysqlOperations.MONITOR_PASSWORD, secrets.monitor()));
            members.add(first);
            joined.add(first);
            joiners = joiners.subList(1, joiners.size());
        }
        for (ServiceNode node : joiners) {
            List<ServiceNode> peers = new ArrayList<>(members);
            peers.add(node);
            try {
                context.log().info("mysql node " + node.id() + " joins the cluster of " + ids(members));
                Object status = context.agents().call(node, MysqlOperations.START_MYSQL, startParams(false, peers));
                expectClusterSize(node, status, peers.size());
            } catch (RuntimeException e) {
                context.log().warn("mysql node " + node.id() + " failed to join: " + e.getMessage());
                joined.add(node);
                leave(joined);
                members.removeAll(joined);
                throw e;
            }
            members.add(node);
            joined.add(node);
        }
    }

    private void expectClusterSize(ServiceNode node, Object status, int expected) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        Object size = status instanceof Map<?, ?> m ? m.get("clusterSize") : null;
        while (!(size instanceof Number n && n.intValue() == expected) && System.nanoTime() < deadline) {
            sleep(250);
            Object now = context.agents().call(node, MysqlOperations.STATUS, Map.of());
            size = now instanceof Map<?, ?> m ? m.get("clusterSize") : null;
        }
        if (!(size instanceof Number n && n.intValue() == expected)) {
            throw new IllegalStateException("mysql node " + node.id() + " sees a cluster of " + size
                    + " nodes instead of " + expected);
        }
    }

    @Override
    public void checkRemoveNodes(Map<String, Integer> roles) {
        int mysqls = byRole(context.nodes(), MysqlServiceType.MYSQL).size();
        int glbs = byRole(context.nodes(), MysqlServiceType.GLB).size();
        if (roles.getOrDefault(MysqlServiceType.MYSQL, 0) >= mysqls && roles.getOrDefault(MysqlServiceType.MYSQL, 0) > 0) {
            throw new InvalidInputException(LAST_MYSQL_STAYS);
        }
        int removeGlbs = roles.getOrDefault(MysqlServiceType.GLB, 0);
        if (removeGlbs > glbs) {
            throw new InvalidInputException("cannot remove " + removeGlbs + " glb node(s): the service has " + glbs);
        }
    }

    @Override
    public void onRemoveNodes(List<ServiceNode> removed) throws Exception {
        Set<String> removedIds = ids(removed);
        List<ServiceNode> remaining = context.nodes().stream().filter(n -> !removedIds.contains(n.id())).toList();
        List<ServiceNode> members = byRole(remaining, MysqlServiceType.MYSQL);
        List<ServiceNode> leaving = byRole(removed, MysqlServiceType.MYSQL);
        if (!leaving.isEmpty()) {
            updateBalancers(byRole(remaining, MysqlServiceType.GLB), members);
            for (ServiceNode node : leaving) {
                Object left = context.agents().call(node, MysqlOperations.DRAIN,
                        Map.of(MysqlOperations.SECONDS, DRAIN_SECONDS));
                context.log().info("mysql node " + node.id() + " leaves the cluster (" + left + ")");
            }
            leave(leaving);
            updatePeers(members);
            expectClusterSize(members.get(0), null, members.size());
        }
        for (ServiceNode glb : byRole(removed, MysqlServiceType.GLB)) {
            bestEffort(glb, MysqlOperations.STOP_GLB);
        }
        publish(remaining);
    }

    /** Failed nodes are gone already: the glbs stop sending clients to them and the members forget them. */
    @Override
    public void onNodesFailed(List<ServiceNode> failed) {
        List<ServiceNode> members = byRole(context.nodes(), MysqlServiceType.MYSQL);
        context.log().warn("failed: " + ids(failed) + "; the glb nodes balance over " + ids(members));
        updateBalancers(byRole(context.nodes(), MysqlServiceType.GLB), members);
        updatePeers(members);
        if (!members.isEmpty()) {
            // with half the nodes or more gone at once, Galera leaves the rest without quorum (non-Primary); the
            // failed ones are being terminated, so the rest may safely form the primary component again
            Object status = context.agents().call(members.get(0), MysqlOperations.MAKE_PRIMARY,
                    Map.of(MysqlOperations.MEMBERS, members.size()));
            context.log().info("the cluster after the failure: " + status);
            publish(context.nodes());
        }
    }

    /** Balancers first (no new clients), then the mysql nodes newest first, each leaving the cluster cleanly. */
    @Override
    public void onStop() {
        List<ServiceNode> nodes = context.nodes();
        byRole(nodes, MysqlServiceType.GLB).forEach(n -> bestEffort(n, MysqlOperations.STOP_GLB));
        List<ServiceNode> members = new ArrayList<>(byRole(nodes, MysqlServiceType.MYSQL));
        java.util.Collections.reverse(members);
        leave(members);
    }

    @Override
    public Object invoke(String operation, Map<String, Object> params, Map<String, UploadedFile> files)
            throws Exception {
        return operations.invoke(operation, params, files);
    }

    Map<String, Object> startParams(boolean bootstrap, List<ServiceNode> peers) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put(MysqlOperations.BOOTSTRAP, bootstrap);
        params.put(MysqlOperations.PEERS, peers.stream().map(ServiceNode::address).toList());
        params.put(MysqlOperations.CLUSTER_NAME, "conpaas-" + context.applicationId() + "-" + context.serviceId());
        params.put(MysqlOperations.ROOT_PASSWORD, secrets.root());
        params.put(MysqlOperations.SETTINGS, settings());
        return params;
    }

    /** The variables the owner set with set_mysql_params. */
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        context.state().all().forEach((key, value) -> {
            if (key.startsWith(PARAM_KEY)) {
                settings.put(key.substring(PARAM_KEY.length()), value);
            }
        });
        return settings;
    }

    private void updatePeers(List<ServiceNode> members) {
        List<String> peers = members.stream().map(ServiceNode::address).toList();
        for (ServiceNode node : members) {
            context.agents().call(node, MysqlOperations.UPDATE_PEERS, Map.of(MysqlOperations.PEERS, peers));
        }
    }

    private void updateBalancers(List<ServiceNode> glbs, List<ServiceNode> members) {
        if (glbs.isEmpty()) {
            return;
        }
        context.agents().callAll(glbs, MysqlOperations.START_GLB, Map.of(
                MysqlOperations.BACKENDS, members.stream().map(ServiceNode::address).toList(),
                MysqlOperations.MONITOR_PASSWORD, secrets.monitor()));
    }

    private void leave(List<ServiceNode> nodes) {
        nodes.forEach(n -> bestEffort(n, MysqlOperations.STOP_MYSQL));
    }

    private void bestEffort(ServiceNode node, String operation) {
        try {
            context.agents().call(node, operation, Map.of());
        } catch (AgentException e) {
            context.log().warn(operation + " on " + node.id() + " failed: " + e.getMessage());
        }
    }

    /** Where clients connect: the first glb node when there is one, else the first mysql node. */
    ServiceNode entry(List<ServiceNode> nodes) {
        List<ServiceNode> glbs = byRole(nodes, MysqlServiceType.GLB);
        return glbs.isEmpty() ? byRole(nodes, MysqlServiceType.MYSQL).get(0) : glbs.get(0);
    }

    private void publish(List<ServiceNode> nodes) {
        ServiceNode entry = entry(nodes);
        context.publishUrl("mysql://" + entry.address() + ":" + MysqlOperations.MYSQL_PORT);
    }

    static List<ServiceNode> byRole(List<ServiceNode> nodes, String role) {
        return nodes.stream().filter(n -> n.role().equals(role))
                .sorted(Comparator.comparing(ServiceNode::id, ServiceManager::compareNodeIds)).toList();
    }

    static Set<String> ids(List<ServiceNode> nodes) {
        return nodes.stream().map(ServiceNode::id).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
