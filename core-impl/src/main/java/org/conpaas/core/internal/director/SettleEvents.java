package org.conpaas.core.internal.director;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.conpaas.api.model.ServiceInfo;

/**
 * Waiters for a service to settle: each is a future completed by the settle event of its service (or by its timeout)
 * with the service's info read then. Nothing polls and no thread waits for a client.
 */
final class SettleEvents {

    private record Waiter(CompletableFuture<ServiceInfo> future, Supplier<ServiceInfo> info) {
        /** Completes with the service's info (at its timeout whatever the state); false if it waits on. */
        boolean complete(boolean onlyIfSettled) {
            if (future.isDone()) {
                return true;
            }
            try {
                ServiceInfo now = info.get();
                if (onlyIfSettled && !now.state().isSettled()) {
                    return false;
                }
                future.complete(now);
            } catch (RuntimeException e) {
                future.completeExceptionally(e); // e.g. the service was removed meanwhile
            }
            return true;
        }
    }

    private final Map<Long, List<Waiter>> waiters = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    SettleEvents(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /**
     * A future completed when the service settles or after {@code timeout}; {@code info} reads the service (for the
     * caller) and {@code settledNow} says whether it is settled already.
     */
    CompletableFuture<ServiceInfo> await(long serviceDbId, Duration timeout, Supplier<ServiceInfo> info) {
        Waiter waiter = new Waiter(new CompletableFuture<>(), info);
        // Registered before the state is read, so a settle in between is not missed.
        waiters.computeIfAbsent(serviceDbId, id -> new CopyOnWriteArrayList<>()).add(waiter);
        waiter.future().whenComplete((r, e) -> {
            List<Waiter> list = waiters.get(serviceDbId);
            if (list != null) {
                list.remove(waiter);
            }
        });
        ServiceInfo now = info.get();
        if (now.state().isSettled() || timeout.isZero() || timeout.isNegative()) {
            waiter.future().complete(now);
        } else {
            timer.schedule(() -> waiter.complete(false), timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        return waiter.future();
    }

    /** The service may have settled (or is gone): its waiters get its info if so. */
    void settled(long serviceDbId) {
        List<Waiter> list = waiters.get(serviceDbId);
        if (list != null) {
            // Completing a waiter removes it from the list (see await): iterate over a snapshot.
            for (Waiter waiter : list) {
                waiter.complete(true);
            }
            waiters.computeIfPresent(serviceDbId, (id, left) -> left.isEmpty() ? null : left);
        }
    }

    /** Completes every waiter (the director is going away). */
    void completeAll() {
        waiters.values().forEach(list -> list.forEach(waiter -> waiter.complete(false)));
        waiters.clear();
    }
}
