package org.conpaas.cloud.openstack;

import java.time.Duration;
import org.conpaas.api.CloudException;

/** Bounded polling of the cloud for a state (a server ACTIVE, a volume attached): every second up to a deadline. */
final class Waits {

    /** One poll: the value when reached, null to poll again; throws when waiting is pointless. */
    @FunctionalInterface
    interface Poll<T> {
        T poll() throws CloudException;
    }

    private final String cloud;
    private final Duration timeout;
    private final Duration interval;

    Waits(String cloud, Duration timeout, Duration interval) {
        this.cloud = cloud;
        this.timeout = timeout;
        this.interval = interval;
    }

    <T> T until(String what, Poll<T> poll) throws CloudException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = poll.poll();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new CloudException("gave up after " + timeout.toSeconds() + " s waiting for " + what
                        + " on cloud " + cloud + " (OpenStack).");
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CloudException("interrupted while waiting for " + what + " on cloud " + cloud + ".");
            }
        }
    }
}
