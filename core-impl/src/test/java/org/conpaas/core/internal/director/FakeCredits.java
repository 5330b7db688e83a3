package org.conpaas.core.internal.director;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.conpaas.api.InsufficientCreditException;
import org.conpaas.api.model.Charge;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.credit.Credits;

/** Counts started nodes per user; users in {@link #broke} have no credit. */
final class FakeCredits implements Credits {
    final Map<String, Integer> started = new ConcurrentHashMap<>();
    final Set<String> broke = ConcurrentHashMap.newKeySet();

    @Override
    public void requireCredit(String username, String action) {
        if (broke.contains(username)) {
            throw new InsufficientCreditException("cannot " + action + ": " + username + " has no credit left");
        }
    }

    @Override
    public void nodesStarted(String username, long applicationId, int serviceId, List<ServiceNode> nodes) {
        started.merge(username, nodes.size(), Integer::sum);
    }

    @Override
    public void creditAdded(String username, long delta, long balance, String by) {
    }

    @Override
    public List<Charge> charges(String username) {
        return List.of();
    }
}
