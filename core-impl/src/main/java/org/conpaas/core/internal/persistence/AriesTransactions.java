package org.conpaas.core.internal.persistence;

import java.util.function.Function;
import javax.persistence.EntityManager;
import org.apache.aries.jpa.template.JpaTemplate;
import org.apache.aries.jpa.template.TransactionType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Transactions of the {@code conpaas} persistence unit through Aries JPA; re-entrant (see JoinedTransactions). */
@Component(service = Transactions.class)
public class AriesTransactions implements Transactions {
    private final JpaTemplate jpa;
    private final JoinedTransactions joined = new JoinedTransactions();

    @Activate
    public AriesTransactions(@Reference(target = "(osgi.unit.name=conpaas)") JpaTemplate jpa) {
        this.jpa = jpa;
    }

    @Override
    public <R> R call(Function<EntityManager, R> work) {
        // A RESOURCE_LOCAL unit accepts only REQUIRED (feasibility-mvn.md P7). A nested call joins the outer one.
        return joined.call(work, outer -> jpa.txExpr(TransactionType.Required, outer::apply));
    }
}
