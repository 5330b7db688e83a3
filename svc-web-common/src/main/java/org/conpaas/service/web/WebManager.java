package org.conpaas.service.web;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceNode;

/**
 * The manager shared by the web hosting types. Every change of membership is one reconfiguration from the topology
 * before to the topology after, ordered so that clients see no failed request: new roles start first, then the
 * proxies reload with the new lists, and only then do roles that are no longer needed stop (gracefully, before the
 * director releases a removed node).
 * <p>
 * A change that fails half-way is rolled back (best effort, see {@link UndoLog}) on the nodes the service keeps when
 * the director fails the operation: the nodes of the topology before. The director releases the nodes an addition
 * brought and keeps every node of a failed removal, so those nodes serve exactly as before; then the failure
 * propagates and the director fails the operation with its message.
 */
public abstract class WebManager implements ServiceManager {

    public static final String LIST_NODES = "list_nodes";
    public static final String UPDATE_NODES_WEIGHT = "update_nodes_weight";
    public static final int DEFAULT_WEIGHT = 100;

    /** Manager state: {@code weight.<role>.<node>}; the nodes' code is the core's (docs/code-distribution.md). */
    static final String WEIGHT_KEY = "weight.";
    static final String PROXY_PORT_KEY = "proxyPort";

    protected final ServiceContext context;
    private final int proxyPort;

    /** {@code proxyPort} 0 lets each proxy node choose (80 as root, 8000 otherwise). */
    protected WebManager(ServiceContext context, int proxyPort) {
        this.context = context;
        this.proxyPort = proxyPort;
    }

    // ------------------------------------------------------------------ type-specific hooks

    /** Refuses code this type cannot serve (a WAR for PHP…) with an {@link InvalidInputException}. */
    protected abstract void checkCode(String version, Path archive);

    /** start_backend's parameters; {@code proxies} are the addresses that may reach the backends. */
    protected abstract Map<String, Object> backendParams(Topology topology, List<String> proxies);

    /** Runs before any backend starts (e.g. the session store). */
    protected void prepare(Topology before, Topology after) {
    }

    /** The largest request body the proxies accept (nginx size). */
    protected String maxBodySize() {
        return "8m";
    }

    protected Object invokeOther(String operation, Map<String, Object> params) throws Exception {
        throw new IllegalArgumentException("unknown operation " + operation);
    }

    // ------------------------------------------------------------------ life cycle

    @Override
    public void onStart(List<ServiceNode> nodes) {
        reconfigure(Topology.empty(), new Topology(nodes));
    }

    @Override
    public void checkAddNodes(Map<String, Integer> roles) {
        new Topology(context.nodes()).checkAdd(roles);
    }

    @Override
    public void onAddNodes(List<ServiceNode> added) {
        Set<String> addedIds = ids(added);
        List<ServiceNode> previous = context.nodes().stream().filter(n -> !addedIds.contains(n.id())).toList();
        List<ServiceNode> all = new ArrayList<>(previous);
        all.addAll(added);
        reconfigure(new Topology(previous), new Topology(all));
    }

    @Override
    public void checkRemoveNodes(Map<String, Integer> roles) {
        new Topology(context.nodes()).checkRemove(roles);
    }

    @Override
    public void onRemoveNodes(List<ServiceNode> removed) {
        Set<String> removedIds = ids(removed);
        List<ServiceNode> remaining = context.nodes().stream().filter(n -> !removedIds.contains(n.id())).toList();
        reconfigure(new Topology(context.nodes()), new Topology(remaining));
        forget(removedIds);
    }

    /**
     * The failed nodes are gone: the remaining ones are reconfigured as for a removal (the proxies stop routing to
     * them, a role the failed nodes ran moves back onto the first proxy), without calling the failed nodes. A failed
     * first proxy takes the service's URL with it: the next proxy publishes its own, or the URL is cleared until a
     * proxy is added (the director's replacement does that through {@link #onAddNodes}).
     */
    @Override
    public void onNodesFailed(List<ServiceNode> failed) {
        Set<String> failedIds = ids(failed);
        List<ServiceNode> remaining = context.nodes().stream().filter(n -> !failedIds.contains(n.id())).toList();
        List<ServiceNode> before = new ArrayList<>(remaining);
        before.addAll(failed);
        Topology after = new Topology(remaining);
        if (after.proxies().isEmpty()) {
            context.publishUrl(null);
            context.log().warn("no proxy is left after the failure of " + failedIds + "; the service has no URL "
                    + "until a proxy is added");
        }
        try {
            if (!after.isEmpty()) {
                UndoLog undo = new UndoLog(context.log());
                try {
                    change(new Topology(before), after, undo, failedIds);
                } catch (RuntimeException failure) {
                    throw undo.rollBack(failure);
                }
            }
        } finally {
            forget(failedIds);
        }
    }

    /** What the manager state holds about nodes that are gone. */
    private void forget(Set<String> nodeIds) {
        for (String key : context.state().all().keySet()) {
            if (nodeIds.stream().anyMatch(id -> key.endsWith("." + id) && key.startsWith(WEIGHT_KEY))) {
                context.state().remove(key);
            }
        }
    }

    /** The nodes are released after this: what the manager knew of them is forgotten. */
    @Override
    public void onStop() {
        for (String key : context.state().all().keySet()) {
            if (key.startsWith(WEIGHT_KEY) || key.equals(PROXY_PORT_KEY)) {
                context.state().remove(key);
            }
        }
    }

    @Override
    public void checkActivateCode(String version) {
        checkCode(version, context.code().archive(version));
    }

    @Override
    public Object invoke(String operation, Map<String, Object> params, Map<String, UploadedFile> files)
            throws Exception {
        Map<String, Object> p = params == null ? Map.of() : params;
        switch (operation) {
            case LIST_NODES -> {
                return new Topology(context.nodes()).nodeIdsByRole();
            }
            case UPDATE_NODES_WEIGHT -> {
                return updateWeights(p);
            }
            default -> {
                return invokeOther(operation, p);
            }
        }
    }

    // ------------------------------------------------------------------ reconfiguration

    /**
     * From {@code before} to {@code after}; see the class comment for the order. On failure what changed on the nodes
     * of {@code before} is put back, then the failure propagates.
     */
    protected void reconfigure(Topology before, Topology after) {
        if (after.isEmpty()) {
            return;
        }
        UndoLog undo = new UndoLog(context.log());
        try {
            change(before, after, undo, Set.of());
        } catch (RuntimeException failure) {
            throw undo.rollBack(failure);
        }
    }

    /** {@code unreachable}: nodes of {@code before} that failed; they get no calls (nor undo steps). */
    private void change(Topology before, Topology after, UndoLog undo, Set<String> unreachable) {
        if (context.code().active().isEmpty()) {
            context.log().warn("no code version is active: the nodes serve nothing yet");
        }
        prepare(before, after);

        List<String> finalProxies = addresses(after.proxies());
        Set<String> allowed = new LinkedHashSet<>(addresses(before.proxies()));
        allowed.addAll(finalProxies);
        List<String> duringChange = List.copyOf(allowed);
        RoleChanges roles = new RoleChanges(before, undo, unreachable);

        Set<String> backendsBefore = ids(before.backends());
        Set<String> websBefore = ids(before.webs());
        Set<String> proxiesBefore = ids(before.proxies());
        for (ServiceNode node : after.backends()) {
            if (!backendsBefore.contains(node.id()) || !duringChange.equals(addresses(before.proxies()))) {
                // new backends start; kept ones learn about new proxies before those send them requests
                roles.change(node, WebRoles.BACKEND, WebOperations.START_BACKEND, backendParams(after, duringChange));
            }
        }
        for (ServiceNode node : after.webs()) {
            if (!websBefore.contains(node.id())) {
                roles.change(node, WebRoles.WEB, WebOperations.START_WEB, webParams());
            }
        }
        Map<String, Object> proxyParams = proxyParams(after);
        for (ServiceNode node : after.proxies()) {
            Object answer = roles.change(node, WebRoles.PROXY, WebOperations.START_PROXY, proxyParams);
            if (node.id().equals(after.firstProxy().id())) {
                Optional<String> portBefore = context.state().get(PROXY_PORT_KEY);
                undo.note(PROXY_PORT_KEY, "publish the URL as before", () -> republish(before, portBefore));
                publish(node, answer);
            }
        }
        Set<String> backendsAfter = ids(after.backends());
        Set<String> websAfter = ids(after.webs());
        Set<String> proxiesAfter = ids(after.proxies());
        for (ServiceNode node : before.proxies()) {
            if (!proxiesAfter.contains(node.id())) {
                roles.change(node, WebRoles.PROXY, WebOperations.STOP_PROXY, Map.of());
            }
        }
        for (ServiceNode node : before.backends()) {
            if (!backendsAfter.contains(node.id())) {
                roles.change(node, WebRoles.BACKEND, WebOperations.STOP_BACKEND, Map.of());
            }
        }
        for (ServiceNode node : before.webs()) {
            if (!websAfter.contains(node.id())) {
                roles.change(node, WebRoles.WEB, WebOperations.STOP_WEB, Map.of());
            }
        }
        if (!duringChange.equals(finalProxies)) {
            // a proxy left: backends stop admitting it
            for (ServiceNode node : after.backends()) {
                roles.change(node, WebRoles.BACKEND, WebOperations.START_BACKEND, backendParams(after, finalProxies));
            }
        }
        if (!proxiesBefore.equals(proxiesAfter) || !backendsBefore.equals(backendsAfter)
                || !websBefore.equals(websAfter)) {
            context.log().info("nodes by role: " + after.nodeIdsByRole());
        }
    }

    /**
     * Calls that change a role of a node, each noting first how to put that role back as {@code before} had it. A
     * node that was not in {@code before} gets no undo step: the director releases it when the change fails.
     */
    private final class RoleChanges {
        private final Topology before;
        private final Set<String> kept;
        private final UndoLog undo;
        private final Set<String> unreachable;

        RoleChanges(Topology before, UndoLog undo, Set<String> unreachable) {
            this.before = before;
            this.kept = nodeIds(before);
            this.undo = undo;
            this.unreachable = unreachable;
        }

        Object change(ServiceNode node, String role, String operation, Map<String, Object> params) {
            if (unreachable.contains(node.id())) {
                return null;
            }
            if (kept.contains(node.id())) {
                undo.note(role + " " + node.id(), "put the " + role + " role of " + node.id() + " back",
                        () -> restore(node, role));
            }
            return call(node, operation, params);
        }

        /** The role runs again with the settings of {@code before}, or stops if the node did not run it. */
        private void restore(ServiceNode node, String role) {
            switch (role) {
                case WebRoles.PROXY -> {
                    if (ids(before.proxies()).contains(node.id())) {
                        call(node, WebOperations.START_PROXY, proxyParams(before));
                    } else {
                        call(node, WebOperations.STOP_PROXY, Map.of());
                    }
                }
                case WebRoles.WEB -> {
                    if (ids(before.webs()).contains(node.id())) {
                        call(node, WebOperations.START_WEB, webParams());
                    } else {
                        call(node, WebOperations.STOP_WEB, Map.of());
                    }
                }
                default -> {
                    if (ids(before.backends()).contains(node.id())) {
                        call(node, WebOperations.START_BACKEND, backendParams(before, addresses(before.proxies())));
                    } else {
                        call(node, WebOperations.STOP_BACKEND, Map.of());
                    }
                }
            }
        }
    }

    /** Reconfigures the running backends (new settings) and the proxies (new limits) in place. */
    protected void reloadBackendsAndProxies() {
        Topology topology = new Topology(context.nodes());
        if (topology.isEmpty()) {
            return;
        }
        List<String> proxies = addresses(topology.proxies());
        for (ServiceNode node : topology.backends()) {
            call(node, WebOperations.START_BACKEND, backendParams(topology, proxies));
        }
        reloadProxies(topology);
    }

    private void reloadProxies(Topology topology) {
        Map<String, Object> params = proxyParams(topology);
        for (ServiceNode node : topology.proxies()) {
            Object answer = call(node, WebOperations.START_PROXY, params);
            if (node.id().equals(topology.firstProxy().id())) {
                publish(node, answer);
            }
        }
    }

    private Map<String, Object> proxyParams(Topology topology) {
        Map<String, Object> params = new LinkedHashMap<>();
        if (proxyPort > 0) {
            params.put(WebOperations.PORT, proxyPort);
        }
        params.put(WebOperations.WEB_NODES, upstreams(topology.webs(), WebRoles.WEB, WebOperations.WEB_PORT));
        params.put(WebOperations.BACKENDS, upstreams(topology.backends(), WebRoles.BACKEND,
                WebOperations.BACKEND_PORT));
        params.put(WebOperations.MAX_BODY_SIZE, maxBodySize());
        return params;
    }

    private List<Map<String, Object>> upstreams(List<ServiceNode> nodes, String role, int port) {
        List<Map<String, Object>> upstreams = new ArrayList<>();
        for (ServiceNode node : nodes) {
            upstreams.add(Map.of("ip", node.address(), "port", port, "weight", weight(role, node.id())));
        }
        return upstreams;
    }

    private void publish(ServiceNode firstProxy, Object answer) {
        int port = answer instanceof Map<?, ?> map && map.get(WebOperations.PORT) instanceof Number n
                ? n.intValue() : proxyPort;
        context.state().put(PROXY_PORT_KEY, String.valueOf(port));
        context.publishUrl(entryPoint(firstProxy, String.valueOf(port)));
    }

    /** The URL and port of {@code before}; none after a failed start, whose nodes the director releases. */
    private void republish(Topology before, Optional<String> port) {
        if (before.isEmpty()) {
            context.state().remove(PROXY_PORT_KEY);
            context.publishUrl(null);
        } else if (port.isPresent()) {
            context.state().put(PROXY_PORT_KEY, port.get());
            context.publishUrl(entryPoint(before.firstProxy(), port.get()));
        }
    }

    private static String entryPoint(ServiceNode firstProxy, String port) {
        return "http://" + firstProxy.address() + ":" + port + "/";
    }

    private static Map<String, Object> webParams() {
        return Map.of(WebOperations.PORT, WebOperations.WEB_PORT);
    }

    // ------------------------------------------------------------------ weights

    protected int weight(String role, String nodeId) {
        return context.state().get(WEIGHT_KEY + role + "." + nodeId).map(Integer::parseInt).orElse(DEFAULT_WEIGHT);
    }

    private Object updateWeights(Map<String, Object> params) {
        Topology topology = new Topology(context.nodes());
        Map<String, Integer> changes = new LinkedHashMap<>();
        for (String role : List.of(WebRoles.WEB, WebRoles.BACKEND)) {
            Object value = params.get(role);
            if (value == null) {
                continue;
            }
            if (!(value instanceof Map<?, ?> map)) {
                throw new InvalidInputException(role, role + " must be an object {node id: weight}");
            }
            Set<String> nodes = ids(role.equals(WebRoles.WEB) ? topology.webs() : topology.backends());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String node = String.valueOf(entry.getKey());
                if (!nodes.contains(node)) {
                    throw new InvalidInputException(role, "node " + node + " is not a '" + role + "' node of this "
                            + "service (those are " + String.join(", ", nodes) + ")");
                }
                if (!(entry.getValue() instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 1
                        || n.intValue() > 1000) {
                    throw new InvalidInputException(role, "the weight of " + node + " must be a whole number from 1 "
                            + "to 1000, not " + entry.getValue());
                }
                changes.put(WEIGHT_KEY + role + "." + node, n.intValue());
            }
        }
        if (changes.isEmpty()) {
            throw new InvalidInputException("give the weights of web or backend nodes, e.g. {\"backend\": "
                    + "{\"node-3\": 200}}");
        }
        changes.forEach((key, weight) -> context.state().put(key, String.valueOf(weight)));
        reloadProxies(topology);
        Map<String, Object> weights = new LinkedHashMap<>();
        weights.put(WebRoles.WEB, weightsOf(topology.webs(), WebRoles.WEB));
        weights.put(WebRoles.BACKEND, weightsOf(topology.backends(), WebRoles.BACKEND));
        return weights;
    }

    private Map<String, Integer> weightsOf(List<ServiceNode> nodes, String role) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        nodes.forEach(n -> weights.put(n.id(), weight(role, n.id())));
        return weights;
    }

    // ------------------------------------------------------------------ helpers

    protected Object call(ServiceNode node, String operation, Map<String, Object> params) {
        return context.agents().call(node, operation, params);
    }

    protected static List<String> addresses(List<ServiceNode> nodes) {
        return nodes.stream().map(ServiceNode::address).toList();
    }

    /** Every node of a topology once, in node order. */
    private static List<ServiceNode> nodesOf(Topology topology) {
        return new ArrayList<>(topology.rolesByNode().keySet());
    }

    private static Set<String> nodeIds(Topology topology) {
        return ids(nodesOf(topology));
    }

    protected static Set<String> ids(List<ServiceNode> nodes) {
        return nodes.stream().map(ServiceNode::id).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
