package org.conpaas.core.internal.credit;

import java.time.Instant;

/**
 * A node as the credit system sees it: who pays for it, where it belongs and how far it is paid.
 *
 * @param nodeDbId      the database id of the node
 * @param nodeId        the id users see ({@code node-7})
 * @param owner         the owner of the node's application, who pays
 * @param serviceNumber the service id users see inside the application
 * @param chargedUntil  the end of the last charged period; null until the first charge
 */
record ChargedNode(long nodeDbId, String nodeId, String owner, long applicationId, int serviceNumber,
        Instant created, Instant chargedUntil) {
}
