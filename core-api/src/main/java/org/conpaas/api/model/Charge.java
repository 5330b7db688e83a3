package org.conpaas.api.model;

import java.time.Instant;

/**
 * One entry of a user's credit ledger: {@code amount} is negative for a charge and positive for credit added;
 * {@code balance} is the credit right after it. Node charges name the node, its application and service.
 */
public record Charge(Instant time, long amount, long balance, String reason, String nodeId, Long applicationId,
        Integer serviceId) {
}
