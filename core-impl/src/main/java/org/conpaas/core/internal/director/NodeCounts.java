package org.conpaas.core.internal.director;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.service.ServiceType;

/** Checks a caller's per-role node counts, with ConPaaS' rules and messages (research/conpaas.md §3.6). */
final class NodeCounts {
    /** The role name that means "the type's default role". */
    static final String DEFAULT_ROLE_ALIAS = "count";

    private NodeCounts() {
    }

    /**
     * The counts with {@code count} mapped to the default role and zero counts dropped; throws if invalid or if they
     * add up to more than {@code maxNodes} ({@code limitName} names the setting in the message).
     */
    static Map<String, Integer> validate(ServiceType type, Map<String, Integer> requested, int maxNodes,
            String limitName) {
        if (requested == null || requested.isEmpty()) {
            throw new InvalidInputException("roles", "Need a positive value for at least one role");
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : requested.entrySet()) {
            String role = DEFAULT_ROLE_ALIAS.equals(e.getKey()) ? type.defaultRole() : e.getKey();
            Integer count = e.getValue();
            if (count == null || count < 0) {
                throw new InvalidInputException("roles", "Invalid number of nodes " + count);
            }
            if (!type.roles().contains(role)) {
                throw new InvalidInputException("roles",
                        "Wrong node type '" + role + "' for service type '" + type.name() + "'.");
            }
            if (count > maxNodes) {
                throw tooMany(count, maxNodes, limitName);
            }
            if (count > 0) {
                counts.merge(role, count, Integer::sum); // no overflow: each count and the roles are bounded
            }
        }
        int total = total(counts);
        if (total > maxNodes) {
            throw tooMany(total, maxNodes, limitName);
        }
        if (counts.isEmpty()) {
            throw new InvalidInputException("roles", "Need a positive value for at least one role");
        }
        return counts;
    }

    private static InvalidInputException tooMany(long asked, int maxNodes, String limitName) {
        return new InvalidInputException("roles", "Cannot handle " + asked + " nodes in one request: at most "
                + maxNodes + " (" + limitName + ")");
    }

    /** Refuses removing more nodes of a role than exist, and removing every node of the service. */
    static void checkRemovable(Map<String, Integer> removing, Map<String, Integer> existing) {
        int total = existing.values().stream().mapToInt(Integer::intValue).sum();
        int asked = removing.values().stream().mapToInt(Integer::intValue).sum();
        for (Map.Entry<String, Integer> e : removing.entrySet()) {
            int have = existing.getOrDefault(e.getKey(), 0);
            if (e.getValue() > have) {
                throw new InvalidInputException("roles", "Cannot remove " + e.getValue() + " nodes of role '"
                        + e.getKey() + "': the service has " + have);
            }
        }
        if (asked >= total) {
            throw new InvalidInputException("roles", "Requesting to delete " + asked + " nodes while only "
                    + (total - 1) + " can be removed: a service keeps at least one node");
        }
    }

    static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    static List<String> expand(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .flatMap(e -> java.util.Collections.nCopies(e.getValue(), e.getKey()).stream())
                .toList();
    }
}
