package org.conpaas.core.internal.credit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.conpaas.core.internal.persistence.Transactions;

/** Stops a user's services as the director does, as far as the credit system can see: their nodes are gone. */
final class ReleasingStopper implements ServiceStopper {
    final List<String> calls = new CopyOnWriteArrayList<>();
    private final Transactions tx;

    ReleasingStopper(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public void stopAllServicesOf(String username, String reason) {
        calls.add(username + ": " + reason);
        tx.run(em -> em.createQuery("delete from NodeEntity n where n.applicationId in "
                + "(select a.id from ApplicationEntity a where a.ownerId = :owner)")
                .setParameter("owner", username).executeUpdate());
    }
}
