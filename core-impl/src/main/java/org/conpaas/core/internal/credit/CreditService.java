package org.conpaas.core.internal.credit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.persistence.EntityManager;
import org.conpaas.api.InsufficientCreditException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.model.Charge;
import org.conpaas.api.model.NodeStatus;
import org.conpaas.api.model.UserInfo;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.accounts.Accounts;
import org.conpaas.core.internal.director.DirectorConfig;
import org.conpaas.core.internal.persistence.NodeEntity;
import org.conpaas.core.internal.persistence.Transactions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credit system (ConPaaS' rules without its bugs): a node costs 1 credit when it starts and 1 more at the start
 * of every further period while it is RUNNING. Each node's paid period ({@code chargedUntil}) is stored with the
 * node and moved forward in the same transaction as the charge, so nothing is charged twice, also across director
 * restarts, and a director that was down still charges the periods its nodes ran. When a user's credit is 0 or
 * below while they hold running nodes, the director stops all their services ("credit exhausted").
 *
 * <p>The director provides {@link ServiceStopper} and needs {@link Credits}: the stopper is an optional dynamic
 * reference so the two components do not form a cycle; without it exhaustion is retried at the next round.
 */
// Immediate: nodes are charged while the bundle runs, whether or not anyone looks the service up.
@Component(service = Credits.class, immediate = true, configurationPid = "org.conpaas.director")
public class CreditService implements Credits {
    public static final String EXHAUSTED = "credit exhausted";

    private static final Logger LOG = LoggerFactory.getLogger(CreditService.class);
    private static final Duration MAX_TICK = Duration.ofSeconds(30);
    private static final Duration MIN_TICK = Duration.ofSeconds(1);
    private static final Duration DEFAULT_PERIOD = Duration.ofHours(1);

    private final Transactions tx;
    private final Accounts accounts;
    private final Clock clock;
    private final NodeCharger charger;
    private final Executor stopRequests;
    private final AtomicReference<ServiceStopper> stopper = new AtomicReference<>();
    /** Charging in this director goes one node at a time; the compare-and-set guards against anything else. */
    private final Object chargingLock = new Object();
    private volatile Duration period;

    /** Null when rounds are run by the caller (tests). */
    private final ScheduledExecutorService scheduler;
    private ScheduledFuture<?> rounds;

    @Activate
    public CreditService(@Reference Transactions tx, @Reference Accounts accounts, DirectorConfig config) {
        this(tx, accounts, Clock.systemUTC(), periodOf(config), newScheduler());
    }

    /**
     * Without a thread of its own: charging rounds run when {@link #chargeDueNodes()} is called.
     *
     * @param period       the length of one charged period
     * @param stopRequests where the services of a user whom a node start left without credit are stopped
     */
    public CreditService(Transactions tx, Accounts accounts, Clock clock, Duration period, Executor stopRequests) {
        this(tx, accounts, clock, period, stopRequests, null);
    }

    /** The component's own thread runs the rounds and the stop requests, so node starts never wait for stops. */
    private CreditService(Transactions tx, Accounts accounts, Clock clock, Duration period,
            ScheduledExecutorService thread) {
        this(tx, accounts, clock, period, thread, thread);
    }

    private CreditService(Transactions tx, Accounts accounts, Clock clock, Duration period, Executor stopRequests,
            ScheduledExecutorService scheduler) {
        this.tx = tx;
        this.accounts = accounts;
        this.clock = clock;
        this.period = requirePositive(period);
        this.charger = new NodeCharger(tx, accounts);
        this.stopRequests = stopRequests;
        this.scheduler = scheduler;
        scheduleRounds();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setStopper(ServiceStopper s) {
        stopper.set(s);
    }

    public void unsetStopper(ServiceStopper s) {
        stopper.compareAndSet(s, null);
    }

    @Modified
    void modified(DirectorConfig config) {
        Duration next = periodOf(config);
        if (!next.equals(period)) {
            LOG.info("credit period changed from {} to {}", period, next);
            period = next;
            scheduleRounds();
        }
    }

    @Deactivate
    void deactivate() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public Duration period() {
        return period;
    }

    /** How often the charging round runs: a quarter period, at most 30 s, at least 1 s. */
    public static Duration tick(Duration period) {
        Duration quarter = period.dividedBy(4);
        Duration capped = quarter.compareTo(MAX_TICK) > 0 ? MAX_TICK : quarter;
        return capped.compareTo(MIN_TICK) < 0 ? MIN_TICK : capped;
    }

    // ---------------------------------------------------------------- Credits

    @Override
    public void requireCredit(String username, String action) {
        UserInfo user = accounts.find(username)
                .orElseThrow(() -> new NotFoundException("user " + username + " not found"));
        if (user.credit() <= 0) {
            throw new InsufficientCreditException("cannot " + action + ": user " + username
                    + " has no credit left (" + user.credit() + "); ask an administrator to add credit");
        }
    }

    @Override
    public void nodesStarted(String username, long applicationId, int serviceId, List<ServiceNode> nodes) {
        if (nodes.isEmpty()) {
            return;
        }
        Set<String> ids = new LinkedHashSet<>();
        nodes.forEach(n -> ids.add(n.id()));
        boolean exhausted = false;
        synchronized (chargingLock) {
            Instant now = now();
            Instant paidUntil = now.plus(period);
            for (ChargedNode node : nodesOf(applicationId, ids)) {
                // Already charged means a charging round saw the node RUNNING first: its first period is paid.
                OptionalLong after = chargeQuietly(node, null, paidUntil, now,
                        node.nodeId() + " started: first period, paid until " + paidUntil);
                exhausted |= after.isPresent() && after.getAsLong() <= 0;
            }
        }
        if (exhausted) {
            try {
                stopRequests.execute(() -> stopIfExhausted(username));
            } catch (RejectedExecutionException e) {
                // Shutting down: the charges are stored, and the next director's first round stops the services.
                LOG.warn("credit of user {} is exhausted; their services are stopped at the next start", username);
            }
        }
    }

    @Override
    public void creditAdded(String username, long delta, long balance, String by) {
        String reason = (delta >= 0 ? "credit added by " : "credit removed by ") + by;
        tx.run(em -> em.persist(new ChargeEntity(username, now(), delta, balance, reason, null, null, null)));
    }

    @Override
    public List<Charge> charges(String username) {
        return tx.call(em -> em.createQuery(
                "select c from ChargeEntity c where c.username = :u order by c.time desc, c.id desc",
                ChargeEntity.class).setParameter("u", username).getResultList().stream()
                .map(ChargeEntity::toCharge).toList());
    }

    // ---------------------------------------------------------------- the charging round

    /**
     * Charges every RUNNING node whose paid period has ended, once per period it ran (catching up after the
     * director was down), then stops the services of every user left with running nodes and no credit.
     */
    public void chargeDueNodes() {
        Set<String> owners;
        synchronized (chargingLock) {
            Instant now = now();
            for (ChargedNode node : dueNodes(now)) {
                chargeUntilNow(node, now);
            }
            owners = ownersOfRunningNodes();
        }
        owners.forEach(this::stopIfExhausted);
    }

    private void chargeUntilNow(ChargedNode node, Instant now) {
        Instant paid = node.chargedUntil();
        if (paid == null) {
            // Running but never charged: the director stopped between the node's start and its first charge.
            Instant first = node.created().plus(period);
            if (chargeQuietly(node, null, first, now, node.nodeId() + " running: first period, paid until "
                    + first).isEmpty()) {
                return;
            }
            paid = first;
        }
        while (!paid.isAfter(now)) {
            Instant next = paid.plus(period);
            if (chargeQuietly(node, paid, next, now, node.nodeId() + " running: another period, paid until "
                    + next).isEmpty()) {
                return;
            }
            paid = next;
        }
    }

    /** One charge; a failure (e.g. the owner was deleted meanwhile) is logged and retried at the next round. */
    private OptionalLong chargeQuietly(ChargedNode node, Instant expected, Instant paidUntil, Instant now,
            String reason) {
        try {
            OptionalLong after = charger.charge(node, expected, paidUntil, now, reason);
            after.ifPresent(balance -> {
                LOG.debug("charged {} 1 credit for {} (credit now {})", node.owner(), node.nodeId(), balance);
                if (balance <= 0 && balance + NodeCharger.CREDIT_PER_PERIOD > 0) {
                    LOG.warn("credit of user {} is exhausted ({}) after charging {}: stopping all their services",
                            node.owner(), balance, node.nodeId());
                }
            });
            return after;
        } catch (RuntimeException e) {
            LOG.error("cannot charge {} of user {}: {}", node.nodeId(), node.owner(), e.toString(), e);
            return OptionalLong.empty();
        }
    }

    private void stopIfExhausted(String username) {
        try {
            long credit = accounts.find(username).map(UserInfo::credit).orElse(0L);
            if (credit > 0 || !holdsRunningNodes(username)) {
                return;
            }
            ServiceStopper s = stopper.get();
            if (s == null) {
                LOG.warn("user {} has no credit left ({}) but the director is not available to stop their "
                        + "services; trying again at the next charging round", username, credit);
                return;
            }
            LOG.info("stopping all services of user {}: {} (credit {})", username, EXHAUSTED, credit);
            s.stopAllServicesOf(username, EXHAUSTED);
        } catch (RuntimeException e) {
            LOG.error("cannot stop the services of user {} whose credit is exhausted: {}", username, e.toString(), e);
        }
    }

    // ---------------------------------------------------------------- queries

    private static final String NODE_WITH_OWNER = "select n, a.ownerId, s.number from NodeEntity n, "
            + "ApplicationEntity a, ServiceEntity s where n.applicationId = a.id and n.serviceId = s.id ";

    private List<ChargedNode> dueNodes(Instant now) {
        return tx.call(em -> chargedNodes(em, em.createQuery(NODE_WITH_OWNER + "and n.status = :running "
                + "and (n.chargedUntil is null or n.chargedUntil <= :now) order by n.id", Object[].class)
                .setParameter("running", NodeStatus.RUNNING).setParameter("now", now).getResultList()));
    }

    private List<ChargedNode> nodesOf(long applicationId, Set<String> nodeIds) {
        return tx.call(em -> chargedNodes(em, em.createQuery(NODE_WITH_OWNER + "and n.applicationId = :app "
                + "order by n.id", Object[].class).setParameter("app", applicationId).getResultList()))
                .stream().filter(n -> nodeIds.contains(n.nodeId())).toList();
    }

    private static List<ChargedNode> chargedNodes(EntityManager em, List<Object[]> rows) {
        return rows.stream().map(r -> {
            NodeEntity n = (NodeEntity) r[0];
            return new ChargedNode(n.getId(), n.getNodeId(), (String) r[1], n.getApplicationId(), (Integer) r[2],
                    n.getCreated(), n.getChargedUntil());
        }).toList();
    }

    private Set<String> ownersOfRunningNodes() {
        return new LinkedHashSet<>(tx.call(em -> em.createQuery("select distinct a.ownerId from NodeEntity n, "
                + "ApplicationEntity a where n.applicationId = a.id and n.status = :running", String.class)
                .setParameter("running", NodeStatus.RUNNING).getResultList()));
    }

    private boolean holdsRunningNodes(String username) {
        return !tx.call(em -> em.createQuery("select n.id from NodeEntity n, ApplicationEntity a "
                + "where n.applicationId = a.id and a.ownerId = :owner and n.status = :running", Long.class)
                .setParameter("owner", username).setParameter("running", NodeStatus.RUNNING).setMaxResults(1)
                .getResultList()).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    /** Stored times are compared for equality (the compare-and-set), so they carry no more than milliseconds. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private synchronized void scheduleRounds() {
        if (scheduler == null) {
            return;
        }
        if (rounds != null) {
            rounds.cancel(false);
        }
        long millis = tick(period).toMillis();
        rounds = scheduler.scheduleWithFixedDelay(this::roundQuietly, millis, millis, TimeUnit.MILLISECONDS);
        LOG.info("charging 1 credit per node every {}; checking every {} ms", period, millis);
    }

    private void roundQuietly() {
        try {
            chargeDueNodes();
        } catch (RuntimeException e) {
            // A failed round (e.g. the database is briefly unavailable) must not end the schedule.
            LOG.error("charging round failed: {}", e.toString(), e);
        }
    }

    private static ScheduledExecutorService newScheduler() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "conpaas-credit");
            t.setDaemon(true);
            return t;
        });
    }

    private static Duration periodOf(DirectorConfig config) {
        long seconds = config.creditPeriodSeconds();
        if (seconds <= 0) {
            LOG.error("creditPeriodSeconds must be above 0, not {}; using {}", seconds, DEFAULT_PERIOD);
            return DEFAULT_PERIOD;
        }
        return Duration.ofSeconds(seconds);
    }

    private static Duration requirePositive(Duration period) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("the credit period must be positive, not " + period);
        }
        return period;
    }
}
