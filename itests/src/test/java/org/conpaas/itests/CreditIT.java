package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.agentProcess;
import static org.conpaas.itests.DirectorTestSupport.agentProcesses;
import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.conpaas.itests.DirectorTestSupport.json;
import static org.conpaas.itests.DirectorTestSupport.karafBase;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.conpaas.api.InsufficientCreditException;
import org.conpaas.api.State;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.ApplicationInfo;
import org.conpaas.api.model.Charge;
import org.conpaas.api.model.NewUser;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.StateChange;
import org.conpaas.api.model.UserInfo;
import org.conpaas.itests.DirectorTestSupport.Api;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Credit on the real distribution with real agent processes, with a charged period of 2 seconds: a helloworld
 * node is charged as periods pass, running out of credit stops the service and its agent, a new start is refused
 * (402 over REST), and credit added by an administrator lets it start again.
 *
 * <p>Driven through the injected {@link Director} as the users themselves; the one REST call (the 402 status) goes
 * out as the REST API's current default user {@value #ADMIN}, who reaches alice's application by its id.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CreditIT {
    private static final String ADMIN = "admin";
    private static final String USER = "alice";
    private static final long STARTING_CREDIT = 3;
    private static final Duration PERIOD = Duration.ofSeconds(2);
    private static final Duration SETTLE = Duration.ofSeconds(90);

    @Inject
    private Director director;

    @Before
    public void awaitDirectorReady() throws Exception {
        DirectorTestSupport.awaitReady(director);
    }

    @Rule
    public TestWatcher keepLog = DirectorTestSupport.keepLogOnFailure();

    @Configuration
    public Option[] config() {
        return OptionUtils.combine(DirectorTestSupport.distribution("credit"),
                editConfigurationFilePut("etc/org.conpaas.director.cfg", "creditPeriodSeconds",
                        Long.toString(PERIOD.toSeconds())),
                editConfigurationFilePut("etc/org.conpaas.director.cfg", "defaultStartingCredit",
                        Long.toString(STARTING_CREDIT)));
    }

    @Test
    public void nodesAreChargedUntilTheCreditRunsOutThenStoppedUntilAnAdministratorAddsCredit() throws Exception {
        UserInfo alice = director.createUser(ADMIN, new NewUser(USER, "alice@example.org",
                "credit-it-Password-7", "Alice", "Tester", "ConPaaS", null, null));
        assertEquals("the configured starting credit", STARTING_CREDIT, alice.credit());

        ApplicationInfo app = director.createApplication(USER, "credit-it");
        String a = Long.toString(app.id());
        try {
            director.startApplication(USER, a);
            eventually("application RUNNING", SETTLE, () -> director.application(USER, a).state() == State.RUNNING);
            String s = Integer.toString(director.addService(USER, a, "helloworld", "hw").id());

            // ---- the service runs on one real agent process and is charged 1 credit per 2-second period
            director.startService(USER, a, s, null);
            eventually("a node of the service is charged", SETTLE, () -> !nodeCharges().isEmpty());
            List<NodeInfo> nodes = director.nodes(USER, a, s);
            assertEquals("nodes: " + nodes, 1, nodes.size());
            NodeInfo node = nodes.get(0);
            long agentPid = agentProcess(node.id(), app.id(), node.address(), karafBase())
                    .orElseThrow(() -> new AssertionError("no agent process for " + node)).pid();

            // ---- running out of credit stops the service and its node; the application stays
            eventually("service STOPPED for lack of credit", SETTLE,
                    () -> director.service(USER, a, s).state() == State.STOPPED);
            ServiceInfo stopped = director.service(USER, a, s);
            assertEquals("credit exhausted", stopped.stateReason());
            assertTrue("credit after exhaustion", director.user(USER, USER).credit() <= 0);
            assertTrue("it ran before it stopped: " + director.history(USER, a, s), director.history(USER, a, s)
                    .stream().map(StateChange::state).toList().contains(State.RUNNING));
            assertEquals(0, director.nodes(USER, a, s).size());
            eventually("agent process " + agentPid + " exits", Duration.ofSeconds(30),
                    () -> ProcessHandle.of(agentPid).map(p -> !p.isAlive()).orElse(true));
            eventually("no agent process of the application left", Duration.ofSeconds(30),
                    () -> agentProcesses(app.id()).isEmpty());
            assertEquals(State.RUNNING, director.application(USER, a).state());

            // the ledger: the start charge, then one charge per period that began, each 1 credit, down to 0
            List<Charge> charged = nodeCharges();
            assertTrue("at least the starting credit was charged: " + charged,
                    charged.size() >= STARTING_CREDIT);
            List<Charge> oldestFirst = new ArrayList<>(charged);
            Collections.reverse(oldestFirst);
            Charge first = oldestFirst.get(0);
            for (int i = 0; i < oldestFirst.size(); i++) {
                Charge c = oldestFirst.get(i);
                assertEquals(c.toString(), -1, c.amount());
                assertEquals(c.toString(), STARTING_CREDIT - 1 - i, c.balance());
                assertEquals(c.toString(), node.id(), c.nodeId());
                assertEquals(c.toString(), Long.valueOf(app.id()), c.applicationId());
                assertEquals(c.toString(), Integer.valueOf(stopped.id()), c.serviceId());
                // the i-th further period begins i periods after the first charge, not earlier
                assertTrue("charge " + i + " " + c + " after " + first,
                        !c.time().isBefore(first.time().plus(PERIOD.multipliedBy(i))));
            }

            // ---- a new start is refused, through the façade and with 402 over REST
            InsufficientCreditException refused = assertThrows(InsufficientCreditException.class,
                    () -> director.startService(USER, a, s, null));
            assertTrue(refused.getMessage(), refused.getMessage().contains("user alice has no credit left"));
            Api api = DirectorTestSupport.containerApi();
            api.post("/applications/" + a + "/services/" + s + "/start", json())
                    .problem(402, "start a service", "alice", "no credit left");
            assertEquals(State.STOPPED, director.service(USER, a, s).state());
            assertTrue(agentProcesses(app.id()).isEmpty());

            // ---- an administrator adds credit: the ledger says so, and the service starts again
            long before = director.user(USER, USER).credit();
            UserInfo topped = director.addCredit(ADMIN, USER, 20);
            assertEquals(before + 20, topped.credit());
            Charge added = director.charges(USER, USER).get(0);
            assertEquals("credit added by admin", added.reason());
            assertEquals(20, added.amount());
            assertEquals(topped.credit(), added.balance());
            assertNull(added.nodeId());

            director.startService(USER, a, s, null);
            ServiceInfo again = director.awaitSettled(USER, a, s, SETTLE);
            assertEquals(again.toString(), State.RUNNING, again.state());
            assertEquals("the new node's first period is charged", topped.credit() - 1,
                    director.charges(USER, USER).get(0).balance());
            assertTrue(director.charges(USER, USER).get(0).nodeId() != null);
            director.stopService(USER, a, s);
            assertEquals(State.STOPPED, director.awaitSettled(USER, a, s, SETTLE).state());
            eventually("no agent process left after the stop", Duration.ofSeconds(30),
                    () -> agentProcesses(app.id()).isEmpty());
        } finally {
            cleanUp(a, app.id());
        }
    }

    /** Removes the application whatever state the test left it in; agent processes are killed by PID. */
    private void cleanUp(String a, long appId) {
        for (Runnable step : List.<Runnable>of(() -> director.stopApplication(USER, a),
                () -> director.deleteApplication(USER, a))) {
            try {
                step.run();
            } catch (RuntimeException e) {
                System.err.println("CreditIT clean-up: " + e);
            }
        }
        DirectorTestSupport.killAll(agentProcesses(appId).stream().map(ProcessHandle::pid)
                .collect(Collectors.toList()));
    }

    /** Alice's node charges, newest first. */
    private List<Charge> nodeCharges() {
        return director.charges(USER, USER).stream().filter(c -> c.nodeId() != null).toList();
    }
}
