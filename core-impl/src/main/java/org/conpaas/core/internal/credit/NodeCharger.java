package org.conpaas.core.internal.credit;

import java.time.Instant;
import java.util.OptionalLong;
import javax.persistence.EntityManager;
import org.conpaas.api.model.UserInfo;
import org.conpaas.core.internal.accounts.Accounts;
import org.conpaas.core.internal.persistence.Transactions;

/**
 * Charges one period of one node: moves the node's {@code chargedUntil} forward, takes 1 credit from its owner and
 * writes the ledger line, all in ONE transaction. The move is a compare-and-set on the stored {@code chargedUntil},
 * so a period is charged at most once whoever tries (a second charging round, a restarted director): a crash
 * before the commit charges nothing, a crash after it leaves the period paid and recorded.
 *
 * <p>{@link Accounts#adjustCredit} runs inside this transaction: with Aries JPA a nested REQUIRED transaction on
 * the same thread joins the outer one, so the credit change commits or rolls back together with the rest.
 */
final class NodeCharger {
    static final long CREDIT_PER_PERIOD = 1;

    private final Transactions tx;
    private final Accounts accounts;

    NodeCharger(Transactions tx, Accounts accounts) {
        this.tx = tx;
        this.accounts = accounts;
    }

    /**
     * Charges the period ending at {@code paidUntil} if the node is still charged up to {@code expected} (null: not
     * charged yet). Returns the owner's credit after the charge, or empty when someone else charged it first or
     * the node is gone.
     */
    OptionalLong charge(ChargedNode node, Instant expected, Instant paidUntil, Instant now, String reason) {
        return tx.call(em -> {
            if (!advance(em, node.nodeDbId(), expected, paidUntil)) {
                return OptionalLong.empty();
            }
            UserInfo after = accounts.adjustCredit(node.owner(), -CREDIT_PER_PERIOD);
            em.persist(new ChargeEntity(node.owner(), now, -CREDIT_PER_PERIOD, after.credit(), reason,
                    node.nodeId(), node.applicationId(), node.serviceNumber()));
            return OptionalLong.of(after.credit());
        });
    }

    /** The compare-and-set: true when this transaction moved the node's paid period from expected to next. */
    private static boolean advance(EntityManager em, long nodeDbId, Instant expected, Instant next) {
        String guard = expected == null ? "n.chargedUntil is null" : "n.chargedUntil = :expected";
        var update = em.createQuery("update NodeEntity n set n.chargedUntil = :next where n.id = :id and " + guard)
                .setParameter("next", next).setParameter("id", nodeDbId);
        if (expected != null) {
            update.setParameter("expected", expected);
        }
        return update.executeUpdate() == 1;
    }
}
