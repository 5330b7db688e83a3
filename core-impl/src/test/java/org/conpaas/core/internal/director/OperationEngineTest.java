package org.conpaas.core.internal.director;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.StartingException;
import org.conpaas.api.State;
import org.conpaas.api.WrongStateException;
import org.conpaas.api.model.NewUser;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.StateChange;
import org.conpaas.core.internal.persistence.TestDatabase;
import org.conpaas.core.internal.testing.AnnotationConfigs;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The operation engine through the director: no lock shared between services, every release claimed, waiting without
 * threads, long-running operations, recovery before serving and live configuration.
 */
public class OperationEngineTest {
    private static final String USER = "alice";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private TestDatabase db;
    private FakeCloud cloud;
    private FakeAgents agents;
    private final EchoType echo = new EchoType();
    private CloudRegistry clouds;
    private DirectorService director;

    @Before
    public void setUp() {
        db = new TestDatabase(folder.getRoot().toPath());
        cloud = new FakeCloud();
        agents = new FakeAgents(cloud);
        clouds = new CloudRegistry();
        clouds.bindCloud(cloud);
        director = newDirector(clouds);
    }

    @After
    public void tearDown() {
        releaseAll();
        director.deactivate();
        db.close();
    }

    private void releaseAll() {
        for (CountDownLatch latch : new CountDownLatch[] {echo.holdAddCheck, echo.holdAddNodes, echo.holdStop}) {
            if (latch != null) {
                latch.countDown();
            }
        }
    }

    private DirectorService newDirector(CloudRegistry registry) {
        return TestDirectors.director(db, folder.getRoot().toPath().resolve("data"), echo, registry,
                new TestDirectors.Fakes(agents, new FakeAccounts(), new FakeCredits(), new FakeCodeVersions()),
                NodeHealthMonitor.Settings.DEFAULT, InputLimits.DEFAULTS);
    }

    private void runningService(String app) {
        director.createApplication(USER, app);
        director.startApplication(USER, app);
        director.addService(USER, app, "echo", null);
        director.startService(USER, app, "1", null);
        ServiceInfo started = director.awaitSettled(USER, app, "1", WAIT);
        assertEquals(started.stateReason(), State.RUNNING, started.state());
    }

    private void awaitState(String app, State state) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (director.service(USER, app, "1").state() != state) {
            assertTrue("service of " + app + " never became " + state, System.nanoTime() < deadline);
            sleep(20);
        }
    }

    @Test
    public void aSlowPluginCheckOfOneServiceHoldsUpNoOtherService() throws Exception {
        runningService("shop");
        runningService("blog");
        echo.holdAddCheck = new CountDownLatch(1);
        CompletableFuture<ServiceInfo> adding = CompletableFuture.supplyAsync(
                () -> director.addNodes(USER, "shop", "1", Map.of("node", 1), null));
        sleep(200);
        assertFalse("the check is still running", adding.isDone());

        long began = System.nanoTime();
        assertEquals(State.EPILOGUE, director.stopService(USER, "blog", "1").state());
        assertEquals(State.STOPPED, director.awaitSettled(USER, "blog", "1", WAIT).state());
        assertTrue("the other service's change did not wait for the check",
                Duration.ofNanos(System.nanoTime() - began).toMillis() < 3000);

        echo.holdAddCheck.countDown();
        assertEquals(State.ADAPTING, adding.get(5, TimeUnit.SECONDS).state());
        assertEquals(State.RUNNING, director.awaitSettled(USER, "shop", "1", WAIT).state());
        assertEquals(2, director.nodes(USER, "shop", "1").size());
    }

    @Test
    public void stoppingAnApplicationClaimsItAndItsServicesBeforeReleasing() throws Exception {
        runningService("shop");
        director.addService(USER, "shop", "echo", "idle");
        echo.holdStop = new CountDownLatch(1);
        CompletableFuture<?> stopping = CompletableFuture.runAsync(() -> director.stopApplication(USER, "shop"));
        awaitState("shop", State.EPILOGUE);

        // While its nodes are released nothing can start in it: no new nodes, no new or started service.
        assertThrows(WrongStateException.class, () -> director.addNodes(USER, "shop", "1", Map.of("node", 1), null));
        assertThrows(WrongStateException.class, () -> director.startService(USER, "shop", "2", null));
        assertThrows(WrongStateException.class, () -> director.addService(USER, "shop", "echo", null));
        assertEquals(State.EPILOGUE, director.application(USER, "shop").state());

        echo.holdStop.countDown();
        stopping.get(10, TimeUnit.SECONDS);
        assertEquals(State.STOPPED, director.application(USER, "shop").state());
        assertEquals(State.STOPPED, director.service(USER, "shop", "1").state());
        assertTrue(cloud.machines.isEmpty());
        assertEquals(List.of(State.PROLOGUE, State.RUNNING, State.EPILOGUE, State.STOPPED), states("shop"));
    }

    @Test
    public void creditExhaustionClaimsTheServiceAndSkipsOneBusyWithAChange() throws Exception {
        runningService("shop");
        runningService("blog");
        echo.holdAddNodes = new CountDownLatch(1);
        director.addNodes(USER, "blog", "1", Map.of("node", 1), null);

        director.stopAllServicesOf(USER, "credit exhausted");
        assertEquals(State.STOPPED, director.service(USER, "shop", "1").state());
        assertEquals(List.of(State.PROLOGUE, State.RUNNING, State.EPILOGUE, State.STOPPED), states("shop"));
        assertEquals("busy: left to finish its change", State.ADAPTING, director.service(USER, "blog", "1").state());

        echo.holdAddNodes.countDown();
        assertEquals(State.RUNNING, director.awaitSettled(USER, "blog", "1", WAIT).state());
    }

    @Test
    public void waitingCompletesOnTheSettleEventOrAtItsTimeout() throws Exception {
        runningService("shop");
        echo.holdAddNodes = new CountDownLatch(1);
        director.addNodes(USER, "shop", "1", Map.of("node", 1), null);

        CompletableFuture<ServiceInfo> shortWait = director.whenSettled(USER, "shop", "1", Duration.ofMillis(200))
                .toCompletableFuture();
        assertEquals("the timeout gives the state then", State.ADAPTING,
                shortWait.get(5, TimeUnit.SECONDS).state());

        CompletableFuture<ServiceInfo> waiting = director.whenSettled(USER, "shop", "1", WAIT).toCompletableFuture();
        sleep(300);
        assertFalse("nothing settled yet", waiting.isDone());
        echo.holdAddNodes.countDown();
        ServiceInfo settled = waiting.get(5, TimeUnit.SECONDS);
        assertEquals(State.RUNNING, settled.state());
        assertTrue(settled.stateReason(), settled.stateReason().startsWith("added nodes node=1"));
        assertEquals("an idle service answers at once", State.RUNNING,
                director.whenSettled(USER, "shop", "1", WAIT).toCompletableFuture().get(1, TimeUnit.SECONDS).state());
    }

    @Test
    public void aLongRunningOperationRunsAdaptingWithinItsTimeout() {
        runningService("shop");
        echo.dumpMillis = 300;
        ServiceInfo started = (ServiceInfo) director.invoke(USER, "shop", "1", "dump", Map.of(), Map.of());
        assertEquals(State.ADAPTING, started.state());
        assertThrows("no other change meanwhile", WrongStateException.class,
                () -> director.addNodes(USER, "shop", "1", Map.of("node", 1), null));
        ServiceInfo done = director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(State.RUNNING, done.state());
        assertEquals("dump done", done.stateReason());

        echo.dumpMillis = 5000; // past its 1 s timeout
        director.invoke(USER, "shop", "1", "dump", Map.of(), Map.of());
        long began = System.nanoTime();
        ServiceInfo cut = director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(State.RUNNING, cut.state());
        assertTrue(cut.stateReason(), cut.stateReason().contains("did not finish within 1 s"));
        assertTrue(Duration.ofNanos(System.nanoTime() - began).toMillis() < 3000);
    }

    @Test
    public void recoveryEndsBeforeTheDirectorTakesCalls() {
        runningService("shop");
        director.deactivate();
        // The cloud holding the node registers late, so recovery waits for it: the director says it is starting.
        CloudRegistry late = new CloudRegistry();
        director = newDirector(late);
        director.startRecovery();
        StartingException starting = assertThrows(StartingException.class, () -> director.applications(USER));
        assertTrue(starting.getMessage().contains("starting"));
        assertThrows(StartingException.class, () -> director.stopService(USER, "shop", "1"));

        late.bindCloud(cloud);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!director.ready()) {
            assertTrue("recovery never ended", System.nanoTime() < deadline);
            sleep(50);
        }
        assertEquals("re-attached, not failed", State.RUNNING, director.service(USER, "shop", "1").state());
        assertEquals(1, cloud.machines.size());
    }

    @Test
    public void configurationChangesApplyWithoutARestart() {
        runningService("shop");
        assertThrows(org.conpaas.api.ForbiddenException.class, () -> director.registerUser(newUser()));

        director.modified(AnnotationConfigs.of(DirectorConfig.class, Map.of("maxNodesPerRequest", 1, "selfRegistration", true)));
        InvalidInputException tooMany = assertThrows(InvalidInputException.class,
                () -> director.addNodes(USER, "shop", "1", Map.of("node", 2), null));
        assertTrue(tooMany.getMessage(), tooMany.getMessage().contains("maxNodesPerRequest"));
        assertEquals("bob", director.registerUser(newUser()).username());
        assertEquals("the service was not touched", State.RUNNING, director.service(USER, "shop", "1").state());
    }

    private static NewUser newUser() {
        return new NewUser("bob", "bob@example.org", "a-long-password", null, null, null, null, null);
    }

    private List<State> states(String app) {
        return director.history(USER, app, "1").stream().map(StateChange::state)
                .filter(s -> s != State.INIT).toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
