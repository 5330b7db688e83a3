package org.conpaas.core.internal.director;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.persistence.EntityManager;
import org.conpaas.api.State;
import org.conpaas.api.WrongStateException;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.core.internal.persistence.ApplicationEntity;
import org.conpaas.core.internal.persistence.ServiceEntity;
import org.conpaas.core.internal.persistence.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a service's state changes: a change first <em>claims</em> a state (PROLOGUE, ADAPTING or
 * EPILOGUE) in one short transaction under its service's lock, then runs in the background, and is always
 * <em>settled</em> with a reason, whatever happens. A claimed service refuses every other claim (409), so two
 * changes of one service never overlap, while changes of different services never wait for each other. Plug-in
 * checks run before the claim, outside locks and transactions; the change confirms them once it holds the claim.
 * <p>
 * Only a stop may claim a service that is already claimed: it cancels the change in flight ({@link InFlightWork})
 * and settles the service itself, so a change never settles a service out of EPILOGUE.
 */
final class OperationEngine {
    private static final Logger LOG = LoggerFactory.getLogger(OperationEngine.class);
    /** How long a stop waits for a cancelled change to undo itself before releasing the nodes anyway. */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(60);

    /** A check confirmed inside the claiming transaction (cheap: database only, no plug-in or network calls). */
    @FunctionalInterface
    interface Check {
        void accept(EntityManager em, ServiceEntity service);
    }

    /** A check that also words the claim's reason from what it found. */
    @FunctionalInterface
    interface ReasonedCheck {
        String reasonFor(EntityManager em, ServiceEntity service);
    }

    /** A claimed service: its identity and its info right after the claim. */
    record Claim(ServiceKey key, ServiceInfo info) {
    }

    /** The state a change ends in, and why. */
    record Outcome(State state, String reason) {
        static Outcome running(String reason) {
            return new Outcome(State.RUNNING, reason);
        }
    }

    /** The background part of a change; it undoes its own partial work on failure and says how it ended. */
    @FunctionalInterface
    interface Change {
        Outcome run(BooleanSupplier cancelled);
    }

    private final Store store;
    private final ExecutorService executor;
    private final SettleEvents events;
    private final KeyedLocks applicationLocks = new KeyedLocks("application");
    private final KeyedLocks serviceLocks = new KeyedLocks("service");
    private final InFlightWork inFlight = new InFlightWork();

    OperationEngine(Store store, ExecutorService executor, SettleEvents events) {
        this.store = store;
        this.executor = executor;
        this.events = events;
    }

    /**
     * Checks the service's state and {@code check}, then moves it to {@code to}, in one transaction under the locks
     * of its application and of itself (the application's, because a start depends on the application's state).
     */
    Claim claim(ServiceKey key, String action, Set<State> allowed, State to, String reason, Check check) {
        return claim(key, action, allowed, to, (em, s) -> {
            check.accept(em, s);
            return reason;
        });
    }

    /** Like {@link #claim(ServiceKey, String, Set, State, String, Check)}, the check giving the reason. */
    Claim claim(ServiceKey key, String action, Set<State> allowed, State to, ReasonedCheck check) {
        return applicationLocks.with(key.applicationId(), () -> serviceLocks.with(key.serviceDbId(), () -> store.tx(
                em -> {
                    ServiceEntity s = em.find(ServiceEntity.class, key.serviceDbId());
                    if (s == null) {
                        throw new org.conpaas.api.NotFoundException("service " + key.number() + " not found");
                    }
                    if (!allowed.contains(s.getState())) {
                        throw new WrongStateException(action + " " + s.getName(), s.getState(), allowed);
                    }
                    store.changeState(em, s, to, check.reasonFor(em, s));
                    return new Claim(key, store.info(em, s, true));
                })));
    }

    /** Runs {@code change} in the background as the service's change in flight and settles it with its outcome. */
    void run(Claim claim, Change change) {
        ServiceKey key = claim.key();
        inFlight.submit(executor, key.serviceDbId(), cancelled -> {
            Outcome outcome;
            try {
                outcome = change.run(cancelled);
            } catch (RuntimeException e) {
                // A change handles its own failures; this is a bug, but the service must not stay claimed.
                LOG.error("change of service {} ended unexpectedly", key, e);
                outcome = new Outcome(State.ERROR, "failed unexpectedly: " + Reasons.of(e));
            }
            settle(key, outcome);
        });
    }

    /**
     * Runs a stop in the background: a change still in flight is cancelled first (it releases what it launched
     * itself), then {@code stop} runs and its outcome settles the service out of EPILOGUE.
     */
    void runStop(Claim claim, Supplier<Outcome> stop) {
        ServiceKey key = claim.key();
        executor.execute(() -> finish(key, stopNow(key, stop)));
    }

    /** A stop in the caller's thread (application stop/delete, service removal, credit exhaustion). */
    Outcome stopNow(ServiceKey key, Supplier<Outcome> stop) {
        if (!inFlight.cancelAndAwait(key.serviceDbId(), CANCEL_WAIT)) {
            LOG.warn("the change in flight of service {} did not end within {} s; stopping anyway", key,
                    CANCEL_WAIT.toSeconds());
        }
        try {
            return stop.get();
        } catch (RuntimeException e) {
            LOG.error("stopping service {} failed", key, e);
            return new Outcome(State.ERROR, "stop failed: " + Reasons.of(e));
        }
    }

    /**
     * Runs {@code work} while the service is in one of {@code allowed} and no change can claim it (a short service
     * operation): the check and the work hold the service's lock, so a claim waits for it (bounded).
     */
    <T> T whileIn(ServiceKey key, String action, Set<State> allowed, Supplier<T> work) {
        return serviceLocks.with(key.serviceDbId(), () -> {
            State state = store.tx(em -> {
                ServiceEntity s = em.find(ServiceEntity.class, key.serviceDbId());
                if (s == null) {
                    throw new org.conpaas.api.NotFoundException("service " + key.number() + " not found");
                }
                return s.getState();
            });
            if (!allowed.contains(state)) {
                throw new WrongStateException(action, state, allowed);
            }
            return work.get();
        });
    }

    /** Runs {@code work} under the application's lock (claims of its services wait meanwhile). */
    <T> T withApplication(long applicationId, Supplier<T> work) {
        return applicationLocks.with(applicationId, work);
    }

    /**
     * Claims EPILOGUE for several services at once (an application stop or delete): all or none, each under its own
     * lock, refused with the first conflict while any of them is busy.
     */
    List<Claim> claimAll(List<ServiceKey> keys, String action, Set<State> allowed, String reason) {
        List<ServiceKey> sorted = keys.stream().sorted((a, b) -> Long.compare(a.serviceDbId(), b.serviceDbId()))
                .toList();
        return lockAll(sorted, 0, () -> store.tx(em -> {
            for (ServiceKey key : sorted) {
                ServiceEntity s = em.find(ServiceEntity.class, key.serviceDbId());
                if (s != null && !allowed.contains(s.getState())) {
                    throw new org.conpaas.api.ConflictException("cannot " + action + " while service "
                            + s.getNumber() + " is " + s.getState() + "; try again when it has settled");
                }
            }
            List<Claim> claims = new ArrayList<>();
            for (ServiceKey key : sorted) {
                ServiceEntity s = em.find(ServiceEntity.class, key.serviceDbId());
                if (s != null) {
                    store.changeState(em, s, State.EPILOGUE, reason);
                    claims.add(new Claim(key, store.info(em, s, true)));
                }
            }
            return claims;
        }));
    }

    private <T> T lockAll(List<ServiceKey> keys, int from, Supplier<T> work) {
        if (from == keys.size()) {
            return work.get();
        }
        return serviceLocks.with(keys.get(from).serviceDbId(), () -> lockAll(keys, from + 1, work));
    }

    /**
     * Ends a change in a settled state. A service removed meanwhile is left alone, and so is one a stop took over
     * (EPILOGUE): the stop settles it.
     */
    void settle(ServiceKey key, Outcome outcome) {
        store.tx(em -> {
            ServiceEntity s = em.find(ServiceEntity.class, key.serviceDbId());
            if (s != null && s.getState() != State.EPILOGUE) {
                store.changeState(em, s, outcome.state(), outcome.reason());
            }
            return null;
        });
        events.settled(key.serviceDbId());
    }

    /** Ends a stop: the one settling that takes a service out of EPILOGUE. */
    void finish(ServiceKey key, Outcome outcome) {
        store.tx(em -> {
            ServiceEntity s = em.find(ServiceEntity.class, key.serviceDbId());
            if (s != null) {
                store.changeState(em, s, outcome.state(), outcome.reason());
            }
            return null;
        });
        events.settled(key.serviceDbId());
    }

    /** The service is gone: waiters learn it now, its lock is forgotten. */
    void removed(ServiceKey key) {
        events.settled(key.serviceDbId());
        serviceLocks.forget(key.serviceDbId());
    }

    CompletableFuture<ServiceInfo> whenSettled(long serviceDbId, Duration timeout, Supplier<ServiceInfo> info) {
        return events.await(serviceDbId, timeout, info);
    }

    /** The application of a claimed service, for checks inside a claim. */
    static ApplicationEntity applicationOf(EntityManager em, ServiceEntity s) {
        return em.find(ApplicationEntity.class, s.getApplicationId());
    }
}
