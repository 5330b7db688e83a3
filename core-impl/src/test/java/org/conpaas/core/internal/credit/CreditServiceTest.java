package org.conpaas.core.internal.credit;

import org.conpaas.core.internal.testing.MutableClock;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.conpaas.api.InsufficientCreditException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.model.Charge;
import org.conpaas.api.model.NodeStatus;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.persistence.ApplicationEntity;
import org.conpaas.core.internal.persistence.NodeEntity;
import org.conpaas.core.internal.persistence.ServiceEntity;
import org.conpaas.core.internal.persistence.Store;
import org.conpaas.core.internal.persistence.TestDatabase;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The credit rules on a real (embedded) database with a clock the test moves. */
public class CreditServiceTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private Path dbFolder;
    private TestDatabase db;
    private final MutableClock clock = new MutableClock(T0);
    private InMemoryAccounts accounts;
    private ReleasingStopper stopper;
    private CreditService credits;

    /** A service of a user with its application, as the director stores it. */
    private record Svc(String owner, long applicationId, long serviceDbId, int number) {
    }

    @Before
    public void setUp() {
        dbFolder = folder.getRoot().toPath();
        db = new TestDatabase(dbFolder);
        accounts = new InMemoryAccounts().with("alice", 10).with("bob", 10);
        stopper = new ReleasingStopper(db);
        credits = newCreditService();
    }

    @After
    public void tearDown() {
        db.close();
    }

    private CreditService newCreditService() {
        CreditService c = new CreditService(db, accounts, clock, HOUR, Runnable::run);
        c.setStopper(stopper);
        return c;
    }

    // ------------------------------------------------------------------------------------------------ charging

    @Test
    public void startingNodesChargesOneCreditEachAndPaysTheirFirstPeriod() {
        Svc svc = service("alice");
        List<ServiceNode> nodes = List.of(node(svc, NodeStatus.RUNNING), node(svc, NodeStatus.RUNNING));

        credits.nodesStarted("alice", svc.applicationId(), svc.number(), nodes);

        assertEquals(8, accounts.credit("alice"));
        assertEquals(10, accounts.credit("bob"));
        for (ServiceNode n : nodes) {
            assertEquals(T0.plus(HOUR), chargedUntil(n));
        }
        List<Charge> ledger = credits.charges("alice");
        assertEquals(2, ledger.size());
        // newest first: the second node's charge left 8, the first one's 9
        assertEquals(List.of(8L, 9L), balances(ledger));
        assertEquals(List.of(nodes.get(1).id(), nodes.get(0).id()), ledger.stream().map(Charge::nodeId).toList());
        for (Charge c : ledger) {
            assertEquals(-1, c.amount());
            assertEquals(T0, c.time());
            assertEquals(Long.valueOf(svc.applicationId()), c.applicationId());
            assertEquals(Integer.valueOf(svc.number()), c.serviceId());
            assertTrue(c.reason(), c.reason().contains("started"));
        }
        assertTrue(credits.charges("bob").isEmpty());
    }

    @Test
    public void aRunningNodeCostsOneCreditAtTheStartOfEachFurtherPeriod() {
        Svc svc = service("alice");
        ServiceNode n = node(svc, NodeStatus.RUNNING);
        credits.nodesStarted("alice", svc.applicationId(), svc.number(), List.of(n));
        assertEquals(9, accounts.credit("alice"));

        clock.set(T0.plus(Duration.ofMinutes(59)));
        credits.chargeDueNodes();
        assertEquals("the first hour is paid", 9, accounts.credit("alice"));

        clock.set(T0.plus(HOUR));
        credits.chargeDueNodes();
        assertEquals("the second hour starts", 8, accounts.credit("alice"));
        assertEquals(T0.plus(HOUR.multipliedBy(2)), chargedUntil(n));

        clock.set(T0.plus(Duration.ofMinutes(119)));
        credits.chargeDueNodes();
        credits.chargeDueNodes();
        assertEquals("rounds within a paid hour charge nothing", 8, accounts.credit("alice"));

        clock.set(T0.plus(Duration.ofMinutes(121)));
        credits.chargeDueNodes();
        assertEquals(7, accounts.credit("alice"));
        assertEquals(List.of(7L, 8L, 9L), balances(credits.charges("alice")));
        assertTrue(credits.charges("alice").get(0).reason().contains("another period"));
    }

    @Test
    public void aDirectorThatWasDownChargesEveryPeriodTheNodeRan() {
        Svc svc = service("alice");
        ServiceNode n = node(svc, NodeStatus.RUNNING);
        credits.nodesStarted("alice", svc.applicationId(), svc.number(), List.of(n));

        // no round ran for three and a half hours: the periods starting at +1 h, +2 h and +3 h are due
        clock.set(T0.plus(Duration.ofMinutes(210)));
        credits.chargeDueNodes();

        assertEquals(10 - 1 - 3, accounts.credit("alice"));
        assertEquals(T0.plus(HOUR.multipliedBy(4)), chargedUntil(n));
        assertEquals(List.of(6L, 7L, 8L, 9L), balances(credits.charges("alice")));
    }

    @Test
    public void noPeriodIsChargedTwiceAfterARestartOverTheSameDatabase() {
        Svc svc = service("alice");
        ServiceNode n = node(svc, NodeStatus.RUNNING);
        credits.nodesStarted("alice", svc.applicationId(), svc.number(), List.of(n));
        clock.set(T0.plus(HOUR));
        credits.chargeDueNodes();
        assertEquals(8, accounts.credit("alice"));

        // restart: the database is closed and opened again by a new credit service at the same moment
        db.close();
        db = new TestDatabase(dbFolder);
        stopper = new ReleasingStopper(db);
        CreditService restarted = newCreditService();
        restarted.chargeDueNodes();
        // a late or repeated start notification for the same node is not charged again either
        restarted.nodesStarted("alice", svc.applicationId(), svc.number(), List.of(n));
        assertEquals(8, accounts.credit("alice"));
        assertEquals(List.of(8L, 9L), balances(restarted.charges("alice")));

        clock.set(T0.plus(HOUR.multipliedBy(2)));
        restarted.chargeDueNodes();
        restarted.chargeDueNodes();
        assertEquals(7, accounts.credit("alice"));
        assertEquals(List.of(7L, 8L, 9L), balances(restarted.charges("alice")));
    }

    @Test
    public void onlyRunningNodesAreChargedByTheRounds() {
        Svc svc = service("alice");
        ServiceNode running = node(svc, NodeStatus.RUNNING);
        ServiceNode failed = node(svc, NodeStatus.RUNNING);
        credits.nodesStarted("alice", svc.applicationId(), svc.number(), List.of(running, failed));
        setStatus(failed, NodeStatus.FAILED);
        node(svc, NodeStatus.LAUNCHING);

        clock.set(T0.plus(HOUR));
        credits.chargeDueNodes();

        assertEquals(10 - 2 - 1, accounts.credit("alice"));
        assertEquals(running.id(), credits.charges("alice").get(0).nodeId());
    }

    @Test
    public void aRunningNodeNeverChargedIsChargedFromItsCreationByTheNextRound() {
        // the director stopped after the node came up and before its first charge
        Svc svc = service("alice");
        ServiceNode n = node(svc, NodeStatus.RUNNING);

        clock.set(T0.plus(Duration.ofMinutes(90)));
        credits.chargeDueNodes();

        assertEquals("the hour from creation and the one that began at +1 h", 8, accounts.credit("alice"));
        assertEquals(T0.plus(HOUR.multipliedBy(2)), chargedUntil(n));
        // the director's start notification arriving now does not charge the first period again
        credits.nodesStarted("alice", svc.applicationId(), svc.number(), List.of(n));
        assertEquals(8, accounts.credit("alice"));
    }

    @Test
    public void aFailedCreditChangeChargesNothingAndTheNextRoundChargesOnce() {
        Svc svc = service("alice");
        ServiceNode n = node(svc, NodeStatus.RUNNING);
        accounts.failNext.set(1);

        credits.nodesStarted("alice", svc.applicationId(), svc.number(), List.of(n));

        assertEquals(10, accounts.credit("alice"));
        assertNull("the node's paid period rolled back with the failed credit change", chargedUntil(n));
        assertTrue(credits.charges("alice").isEmpty());

        credits.chargeDueNodes();
        credits.chargeDueNodes();
        assertEquals(9, accounts.credit("alice"));
        assertEquals(1, credits.charges("alice").size());
    }

    // ------------------------------------------------------------------------------------------------ exhaustion

    @Test
    public void exhaustionStopsTheUsersServicesOncePerCrossing() {
        accounts.with("alice", 2);
        Svc mine = service("alice");
        Svc bobs = service("bob");
        ServiceNode a = node(mine, NodeStatus.RUNNING);
        ServiceNode b = node(bobs, NodeStatus.RUNNING);
        credits.nodesStarted("alice", mine.applicationId(), mine.number(), List.of(a));
        credits.nodesStarted("bob", bobs.applicationId(), bobs.number(), List.of(b));
        assertEquals(1, accounts.credit("alice"));
        assertTrue(stopper.calls.isEmpty());

        clock.set(T0.plus(HOUR));
        credits.chargeDueNodes();
        assertEquals(0, accounts.credit("alice"));
        assertEquals(List.of("alice: credit exhausted"), stopper.calls);
        assertEquals("bob keeps his node", 1, nodeCount(bobs));
        assertEquals(0, nodeCount(mine));

        clock.set(T0.plus(HOUR.multipliedBy(3)));
        credits.chargeDueNodes();
        credits.chargeDueNodes();
        assertEquals("nothing left to charge or stop", 0, accounts.credit("alice"));
        assertEquals(1, stopper.calls.size());
        assertEquals(10 - 1 - 3, accounts.credit("bob"));

        // an administrator adds credit; the user starts again and runs out again: a second crossing
        long balance = accounts.adjustCredit("alice", 2).credit();
        credits.creditAdded("alice", 2, balance, "root");
        ServiceNode again = node(mine, NodeStatus.RUNNING);
        credits.nodesStarted("alice", mine.applicationId(), mine.number(), List.of(again));
        assertEquals(1, stopper.calls.size());
        clock.set(T0.plus(HOUR.multipliedBy(4)));
        credits.chargeDueNodes();
        assertEquals(0, accounts.credit("alice"));
        assertEquals(List.of("alice: credit exhausted", "alice: credit exhausted"), stopper.calls);

        List<Charge> ledger = credits.charges("alice");
        assertEquals(List.of(0L, 1L, 2L, 0L, 1L), balances(ledger));
        assertEquals(List.of(-1L, -1L, 2L, -1L, -1L), ledger.stream().map(Charge::amount).toList());
        Charge added = ledger.get(2);
        assertEquals("credit added by root", added.reason());
        assertNull(added.nodeId());
        assertNull(added.applicationId());
        assertNull(added.serviceId());
    }

    @Test
    public void startingMoreNodesThanTheCreditCoversStopsTheUser() {
        accounts.with("alice", 1);
        Svc svc = service("alice");
        List<ServiceNode> nodes = List.of(node(svc, NodeStatus.RUNNING), node(svc, NodeStatus.RUNNING));

        credits.nodesStarted("alice", svc.applicationId(), svc.number(), nodes);

        assertEquals("every started node is paid, even into the negative", -1, accounts.credit("alice"));
        assertEquals(List.of("alice: credit exhausted"), stopper.calls);
    }

    @Test
    public void exhaustionWaitsForTheDirectorWhenItIsNotThereYet() {
        accounts.with("alice", 1);
        credits.unsetStopper(stopper);
        Svc svc = service("alice");
        ServiceNode n = node(svc, NodeStatus.RUNNING);
        credits.nodesStarted("alice", svc.applicationId(), svc.number(), List.of(n));
        assertEquals(0, accounts.credit("alice"));
        assertEquals(1, nodeCount(svc));

        credits.setStopper(stopper);
        credits.chargeDueNodes();

        assertEquals(List.of("alice: credit exhausted"), stopper.calls);
        assertEquals(0, nodeCount(svc));
        assertEquals("the stop is not a charge", 0, accounts.credit("alice"));
    }

    @Test
    public void creditTakenAwayByAnAdministratorStopsRunningNodesAtTheNextRound() {
        Svc svc = service("alice");
        credits.nodesStarted("alice", svc.applicationId(), svc.number(), List.of(node(svc, NodeStatus.RUNNING)));
        long balance = accounts.adjustCredit("alice", -9).credit();
        credits.creditAdded("alice", -9, balance, "root");

        credits.chargeDueNodes();

        assertEquals(List.of("alice: credit exhausted"), stopper.calls);
        assertEquals("credit removed by root", credits.charges("alice").get(0).reason());
        assertEquals(0, credits.charges("alice").get(0).balance());
    }

    // ------------------------------------------------------------------------------------------------ refusals

    @Test
    public void startingIsRefusedAtZeroAndBelowWithAClearMessage() {
        credits.requireCredit("alice", "start a service");

        accounts.with("alice", 0);
        InsufficientCreditException zero = assertThrows(InsufficientCreditException.class,
                () -> credits.requireCredit("alice", "start a service"));
        assertEquals("cannot start a service: user alice has no credit left (0); ask an administrator to add credit",
                zero.getMessage());

        accounts.with("alice", -3);
        InsufficientCreditException negative = assertThrows(InsufficientCreditException.class,
                () -> credits.requireCredit("alice", "add nodes"));
        assertTrue(negative.getMessage(), negative.getMessage().startsWith("cannot add nodes: user alice"));
        assertTrue(negative.getMessage(), negative.getMessage().contains("(-3)"));

        accounts.with("alice", 1);
        credits.requireCredit("alice", "add nodes");
        assertThrows(NotFoundException.class, () -> credits.requireCredit("nobody", "start a service"));
    }

    @Test
    public void theRoundRunsAQuarterPeriodApartWithinOneAndThirtySeconds() {
        assertEquals(Duration.ofSeconds(30), CreditService.tick(HOUR));
        assertEquals(Duration.ofSeconds(15), CreditService.tick(Duration.ofMinutes(1)));
        assertEquals(Duration.ofSeconds(1), CreditService.tick(Duration.ofSeconds(2)));
        assertThrows(IllegalArgumentException.class,
                () -> new CreditService(db, accounts, clock, Duration.ZERO, Runnable::run));
    }

    // ------------------------------------------------------------------------------------------------ fixture

    private Svc service(String owner) {
        return db.call(em -> {
            ApplicationEntity a = new ApplicationEntity(owner, "app-" + System.nanoTime(), T0);
            em.persist(a);
            ServiceEntity s = new ServiceEntity(a.getId(), a.nextServiceNumber(), "hw", "helloworld", T0);
            em.persist(s);
            return new Svc(owner, a.getId(), s.getId(), s.getNumber());
        });
    }

    /** A node created now with the given status, as the director's provisioner leaves it. */
    private ServiceNode node(Svc svc, NodeStatus status) {
        return db.call(em -> {
            NodeEntity n = new NodeEntity(svc.applicationId(), svc.serviceDbId(), "node", "default", 5555,
                    clock.instant());
            n.setStatus(status, null);
            em.persist(n);
            return Store.serviceNode(n);
        });
    }

    private static long dbId(ServiceNode n) {
        return Long.parseLong(n.id().substring("node-".length()));
    }

    private NodeEntity row(ServiceNode n) {
        return db.call(em -> em.find(NodeEntity.class, dbId(n)));
    }

    private Instant chargedUntil(ServiceNode n) {
        return row(n).getChargedUntil();
    }

    private void setStatus(ServiceNode n, NodeStatus status) {
        db.run(em -> em.find(NodeEntity.class, dbId(n)).setStatus(status, "test"));
    }

    private long nodeCount(Svc svc) {
        return db.call(em -> em.createQuery("select count(n) from NodeEntity n where n.serviceId = :s", Long.class)
                .setParameter("s", svc.serviceDbId()).getSingleResult());
    }

    private static List<Long> balances(List<Charge> ledger) {
        List<Long> out = new ArrayList<>();
        ledger.forEach(c -> out.add(c.balance()));
        return out;
    }
}
