package org.conpaas.core.internal.credit;

/** What the credit system asks of the director when a user's credit is exhausted. */
public interface ServiceStopper {

    /** Releases every node of every service of the user; services go to STOPPED with the reason; data is kept. */
    void stopAllServicesOf(String username, String reason);
}
