package org.conpaas.core.internal.credit;

import java.util.List;
import org.conpaas.api.model.Charge;
import org.conpaas.api.service.ServiceNode;

/**
 * The credit system: a node costs 1 credit when it starts and 1 more at the start of each further period
 * (an hour by default) while it runs. Charges are kept in a ledger; nothing is charged twice, also across restarts.
 */
public interface Credits {

    /** Throws {@link org.conpaas.api.InsufficientCreditException} unless the user's credit is above 0. */
    void requireCredit(String username, String action);

    /** Charges the first period of nodes that just became RUNNING. */
    void nodesStarted(String username, long applicationId, int serviceId, List<ServiceNode> nodes);

    /** Records credit an administrator added (or removed) in the ledger. */
    void creditAdded(String username, long delta, long balance, String by);

    /** The ledger of a user, newest first. */
    List<Charge> charges(String username);
}
