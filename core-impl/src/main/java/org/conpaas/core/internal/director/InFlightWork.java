package org.conpaas.core.internal.director;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.BooleanSupplier;

/**
 * The background change each service has under way (start, adding nodes …), so that a stop can cancel it. A service
 * has at most one change in flight (its state machine sees to that). Cancelling is cooperative: the work checks its
 * {@link BooleanSupplier} between steps and while it waits for nodes, and then undoes what it launched. Threads are
 * not interrupted, because an interrupt can close the database's or a cloud driver's file channels half-way.
 */
final class InFlightWork {

    private final Map<Long, Job> jobs = new ConcurrentHashMap<>();

    private static final class Job implements BooleanSupplier {
        volatile boolean cancelled;
        final CountDownLatch done = new CountDownLatch(1);

        @Override
        public boolean getAsBoolean() {
            return cancelled;
        }
    }

    /** Runs {@code work} on the executor as the service's change; it is handed the question "was I cancelled?". */
    void submit(Executor executor, long serviceDbId, Consumer<BooleanSupplier> work) {
        Job job = new Job();
        jobs.put(serviceDbId, job);
        executor.execute(() -> {
            try {
                work.accept(job);
            } finally {
                jobs.remove(serviceDbId, job);
                job.done.countDown();
            }
        });
    }

    /**
     * Cancels the service's change, if any, and waits for it to end; returns false if it did not end in time (the
     * caller then goes on, and the change's own undo races with it, which releases nothing twice).
     */
    boolean cancelAndAwait(long serviceDbId, Duration timeout) {
        Job job = jobs.get(serviceDbId);
        if (job == null) {
            return true;
        }
        job.cancelled = true;
        try {
            return job.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
