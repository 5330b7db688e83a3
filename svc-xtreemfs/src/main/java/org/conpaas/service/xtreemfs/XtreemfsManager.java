package org.conpaas.service.xtreemfs;

import java.util.ArrayList;
import java.util.Comparator;
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
 * The xtreemfs service's manager. The DIR node (the first) runs the MooseFS master, which is XtreemFS's DIR and MRC
 * at once, and an OSD; added {@code osd} nodes run chunkservers that register with the master. The master cannot be
 * moved or doubled, so DIR and MRC nodes can neither be added nor removed. An OSD leaves only after the master has
 * copied every chunk that needs it onto the others (see {@link OsdDrain}).
 */
public class XtreemfsManager implements ServiceManager {

    static final String OSD_SIZE_KEY = "osdVolumeMb";

    final ServiceContext context;
    private final int defaultOsdMb;
    private final Volumes volumes;
    private final XtreemfsUserOperations operations;

    public XtreemfsManager(ServiceContext context, int defaultOsdMb) {
        this.context = context;
        this.defaultOsdMb = defaultOsdMb;
        this.volumes = new Volumes(context.state());
        this.operations = new XtreemfsUserOperations(this, volumes);
    }

    /** Every node holds an OSD (the DIR node too, beside the master's metadata): its chunks go on the node's volume. */
    @Override
    public int nodeVolumeMb(String role) {
        return XtreemfsServiceType.MRC.equals(role) ? 0 : osdVolumeMb();
    }

    int osdVolumeMb() {
        return context.state().get(OSD_SIZE_KEY).map(Integer::parseInt).orElse(defaultOsdMb);
    }

    @Override
    public void onStart(List<ServiceNode> nodes) throws Exception {
        ServiceNode dir = byRole(nodes, XtreemfsServiceType.DIR).get(0);
        if (dir.address().startsWith("127.")) {
            throw new IllegalStateException("MooseFS refuses loopback addresses between its servers: start the "
                    + "xtreemfs service on a cloud whose nodes have addresses of their own (the local cloud's "
                    + "namespace mode, LXC, EC2, OpenStack)");
        }
        context.log().info("starting the MooseFS master (DIR and MRC) on " + dir.id() + " at " + dir.address());
        context.agents().call(dir, XtreemfsOperations.START_MASTER,
                Map.of(XtreemfsOperations.EXPORTS, volumes.exports()));
        startOsds(nodes);
        context.publishUrl("mfs://" + dir.address() + ":" + XtreemfsOperations.MASTER_CLIENT_PORT + "/");
        publishVariables();
    }

    /**
     * What the scripts of the application's other services (Generic's) need to mount a volume: the master's address,
     * the volumes, and each volume's password ({@code XTREEMFS_PASSWORD_<NAME>}, the name upper-cased with every other
     * character than A-Z and 0-9 as '_', cut to 46 characters).
     */
    void publishVariables() {
        Map<String, String> variables = new java.util.LinkedHashMap<>();
        variables.put("XTREEMFS_MASTER", dirNode().address());
        Map<String, Volumes.Volume> all = volumes.all();
        variables.put("XTREEMFS_VOLUMES", String.join(" ", all.keySet()));
        all.forEach((name, volume) -> {
            if (variables.size() < 64) {
                variables.putIfAbsent("XTREEMFS_PASSWORD_" + variableName(name), volume.password());
            }
        });
        context.publishVariables(variables);
    }

    static String variableName(String volume) {
        String name = volume.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        return name.length() > 46 ? name.substring(0, 46) : name;
    }

    @Override
    public void checkAddNodes(Map<String, Integer> roles) {
        for (String role : List.of(XtreemfsServiceType.DIR, XtreemfsServiceType.MRC)) {
            if (roles.getOrDefault(role, 0) > 0) {
                throw new InvalidInputException("roles", "Cannot add a " + role.toUpperCase(java.util.Locale.ROOT)
                        + " node: the DIR and the MRC are the one MooseFS master on the first node; add osd nodes");
            }
        }
    }

    @Override
    public void onAddNodes(List<ServiceNode> added) throws Exception {
        try {
            startOsds(added);
        } catch (RuntimeException e) {
            // the core releases the new nodes: their chunkservers leave the master first
            added.forEach(n -> bestEffort(n, XtreemfsOperations.STOP));
            throw e;
        }
    }

    /** Starts a chunkserver on each node and waits until the master counts it. */
    private void startOsds(List<ServiceNode> nodes) {
        ServiceNode dir = dirNode();
        for (ServiceNode node : nodes) {
            context.agents().call(node, XtreemfsOperations.START_OSD,
                    Map.of(XtreemfsOperations.MASTER, List.of(dir.address())));
        }
        Set<String> expected = nodes.stream().map(ServiceNode::address).collect(Collectors.toSet());
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!chunkserverAddresses().containsAll(expected)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the MooseFS master did not see the chunkservers of "
                        + nodes.stream().map(ServiceNode::id).toList() + " within 30 s");
            }
            sleep(200);
        }
        context.log().info("OSDs running on " + nodes.stream().map(ServiceNode::id).toList());
    }

    @Override
    public void checkRemoveNodes(Map<String, Integer> roles) {
        if (roles.getOrDefault(XtreemfsServiceType.DIR, 0) > 0) {
            throw new InvalidInputException("roles", "Cannot remove the DIR node.");
        }
        if (roles.getOrDefault(XtreemfsServiceType.MRC, 0) > 0) {
            throw new InvalidInputException("roles", "Cannot remove the MRC node.");
        }
        int osds = byRole(context.nodes(), XtreemfsServiceType.OSD).size();
        int remove = roles.getOrDefault(XtreemfsServiceType.OSD, 0);
        if (remove > osds) {
            throw new InvalidInputException("roles", "cannot remove " + remove + " osd node(s): the service has "
                    + osds + " (the DIR node's OSD stays with it)");
        }
        int staying = osds + 1 - remove;
        volumes.all().forEach((name, volume) -> {
            if (volume.factor() > staying) {
                throw new InvalidInputException("roles", "volume " + name + " keeps " + volume.factor()
                        + " copies of every chunk, so at least " + volume.factor() + " OSDs must stay; "
                        + "lower its replication factor first");
            }
        });
        new OsdDrain(this).checkSpace(selectNodesToRemove(roles, context.nodes()));
    }

    @Override
    public void onRemoveNodes(List<ServiceNode> removed) throws Exception {
        OsdDrain drain = new OsdDrain(this);
        for (ServiceNode node : removed) {
            drain.drain(node);
            bestEffort(node, XtreemfsOperations.STOP);
        }
    }

    @Override
    public void onNodesFailed(List<ServiceNode> failed) {
        context.log().warn("failed: " + failed.stream().map(ServiceNode::id).toList()
                + "; chunks that had copies there are copied again from the others as the goals require");
    }

    /** OSD nodes first, then the DIR node (its master stores the metadata as it stops). */
    @Override
    public void onStop() {
        List<ServiceNode> nodes = new ArrayList<>(context.nodes());
        nodes.sort(Comparator.comparing(n -> XtreemfsServiceType.DIR.equals(n.role()) ? 1 : 0));
        nodes.forEach(n -> bestEffort(n, XtreemfsOperations.STOP));
        context.publishUrl(null);
        context.publishVariables(Map.of());
    }

    @Override
    public Object invoke(String operation, Map<String, Object> params, Map<String, UploadedFile> files)
            throws Exception {
        return operations.invoke(operation, params);
    }

    ServiceNode dirNode() {
        List<ServiceNode> dirs = byRole(context.nodes(), XtreemfsServiceType.DIR);
        if (dirs.isEmpty()) {
            throw new IllegalStateException("the service has no DIR node (is it running?)");
        }
        return dirs.get(0);
    }

    /** What the master answers on its chunkservers (address, chunks, bytes used and total). */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> chunkservers() {
        Object answer = context.agents().call(dirNode(), XtreemfsOperations.CHUNKSERVERS, Map.of());
        Object list = answer instanceof Map<?, ?> m ? m.get("chunkservers") : null;
        return list instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    private Set<String> chunkserverAddresses() {
        return chunkservers().stream().map(s -> String.valueOf(s.get("address"))).collect(Collectors.toSet());
    }

    void bestEffort(ServiceNode node, String operation) {
        try {
            context.agents().call(node, operation, Map.of());
        } catch (AgentException e) {
            context.log().warn(operation + " on " + node.id() + " failed: " + e.getMessage());
        }
    }

    static List<ServiceNode> byRole(List<ServiceNode> nodes, String role) {
        return nodes.stream().filter(n -> n.role().equals(role))
                .sorted(Comparator.comparing(ServiceNode::id, ServiceManager::compareNodeIds)).toList();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
