package org.conpaas.service.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.conpaas.api.service.ServiceNode;

/**
 * Which node runs which role, derived from the nodes alone. Every node was launched with one role; the first proxy
 * (the oldest) also runs the web server while the service has no stand-alone web node, and the backend while it has
 * no stand-alone backend node: that is the original's packing. So the first web node added takes the web role off
 * the packed node, the first backend added the backend role, and removing the last stand-alone one puts it back.
 */
public final class Topology {

    private final List<ServiceNode> proxies;
    private final List<ServiceNode> standAloneWebs;
    private final List<ServiceNode> standAloneBackends;

    public Topology(List<ServiceNode> nodes) {
        List<ServiceNode> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing(ServiceNode::id, org.conpaas.api.service.ServiceManager::compareNodeIds));
        this.proxies = sorted.stream().filter(n -> n.role().equals(WebRoles.PROXY)).toList();
        this.standAloneWebs = sorted.stream().filter(n -> n.role().equals(WebRoles.WEB)).toList();
        this.standAloneBackends = sorted.stream().filter(n -> n.role().equals(WebRoles.BACKEND)).toList();
    }

    public static Topology empty() {
        return new Topology(List.of());
    }

    public boolean isEmpty() {
        return proxies.isEmpty() && standAloneWebs.isEmpty() && standAloneBackends.isEmpty();
    }

    /** The oldest proxy: the entry point users are given, the session store, and where packed roles run. */
    public ServiceNode firstProxy() {
        if (proxies.isEmpty()) {
            throw new IllegalStateException("the service has no proxy node");
        }
        return proxies.get(0);
    }

    public List<ServiceNode> proxies() {
        return proxies;
    }

    /** The nodes serving static files: the stand-alone web nodes, or the first proxy when there are none. */
    public List<ServiceNode> webs() {
        return standAloneWebs.isEmpty() && !proxies.isEmpty() ? List.of(firstProxy()) : standAloneWebs;
    }

    /** The nodes running the backend: the stand-alone backends, or the first proxy when there are none. */
    public List<ServiceNode> backends() {
        return standAloneBackends.isEmpty() && !proxies.isEmpty() ? List.of(firstProxy()) : standAloneBackends;
    }

    /** Counts as the original keeps them: a web or backend role packed on the first proxy counts 0. */
    public int count(String role) {
        return switch (role) {
            case WebRoles.PROXY -> proxies.size();
            case WebRoles.WEB -> standAloneWebs.size();
            case WebRoles.BACKEND -> standAloneBackends.size();
            default -> throw new IllegalArgumentException("unknown role " + role);
        };
    }

    /** Every node with every role it runs, in node order. */
    public Map<ServiceNode, Set<String>> rolesByNode() {
        Map<ServiceNode, Set<String>> roles = new LinkedHashMap<>();
        proxies.forEach(n -> roles.computeIfAbsent(n, k -> new LinkedHashSet<>()).add(WebRoles.PROXY));
        webs().forEach(n -> roles.computeIfAbsent(n, k -> new LinkedHashSet<>()).add(WebRoles.WEB));
        backends().forEach(n -> roles.computeIfAbsent(n, k -> new LinkedHashSet<>()).add(WebRoles.BACKEND));
        return roles;
    }

    /** {"proxy": [ids], "web": [ids], "backend": [ids]}, a packed node under each of its roles. */
    public Map<String, List<String>> nodeIdsByRole() {
        Map<String, List<String>> ids = new LinkedHashMap<>();
        ids.put(WebRoles.PROXY, proxies.stream().map(ServiceNode::id).toList());
        ids.put(WebRoles.WEB, webs().stream().map(ServiceNode::id).toList());
        ids.put(WebRoles.BACKEND, backends().stream().map(ServiceNode::id).toList());
        return ids;
    }

    /** The original's rule for adding: a second proxy needs a stand-alone web node and a stand-alone backend. */
    public static final String PROXY_NEEDS_STAND_ALONE = "Cannot add more proxy servers without at least one "
            + "stand-alone 'web' node and one stand-alone 'backend' node";

    /** Refuses an addition the original refused; {@code counts} are the nodes to add per role. */
    public void checkAdd(Map<String, Integer> counts) {
        int proxiesAfter = count(WebRoles.PROXY) + counts.getOrDefault(WebRoles.PROXY, 0);
        int websAfter = count(WebRoles.WEB) + counts.getOrDefault(WebRoles.WEB, 0);
        int backendsAfter = count(WebRoles.BACKEND) + counts.getOrDefault(WebRoles.BACKEND, 0);
        if (proxiesAfter > 1 && (websAfter == 0 || backendsAfter == 0)) {
            throw new org.conpaas.api.InvalidInputException(PROXY_NEEDS_STAND_ALONE);
        }
    }

    /**
     * Refuses a removal the original refused: one proxy always stays, and web and backend nodes may all go only when
     * a single proxy is left (their roles then move back onto it).
     */
    public void checkRemove(Map<String, Integer> counts) {
        int proxiesLeft = count(WebRoles.PROXY) - counts.getOrDefault(WebRoles.PROXY, 0);
        if (proxiesLeft < 1) {
            throw new org.conpaas.api.InvalidInputException(notEnough(WebRoles.PROXY));
        }
        for (String role : List.of(WebRoles.WEB, WebRoles.BACKEND)) {
            int left = count(role) - counts.getOrDefault(role, 0);
            if (left < 0) {
                throw new org.conpaas.api.InvalidInputException("Cannot remove that many '" + role + "' nodes");
            }
            if (left < 1 && proxiesLeft > 1) {
                throw new org.conpaas.api.InvalidInputException(notEnough(role));
            }
        }
    }

    public static String notEnough(String role) {
        return "Not enough '" + role + "' nodes will be left";
    }
}
