package org.conpaas.core.internal.director;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.conpaas.api.ConflictException;
import org.conpaas.api.InsufficientCreditException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.State;
import org.conpaas.api.TypeNotInstalledException;
import org.conpaas.api.WrongStateException;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.NodeStatus;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.StateChange;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.model.VersionInfo;
import org.conpaas.api.model.VolumeInfo;
import org.conpaas.api.cloud.CloudVolume;
import org.conpaas.api.cloud.NodeSize;
import org.conpaas.core.internal.persistence.Store;
import org.conpaas.core.internal.persistence.TestDatabase;
import org.conpaas.core.internal.security.NodeCredentials;
import org.conpaas.core.internal.security.Pki;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The director's rules and life cycles on a real (embedded) database, with a fake cloud and fake agents. */
public class DirectorServiceTest {
    private static final String USER = "alice";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private TestDatabase db;
    private FakeCloud cloud;
    private FakeAgents agents;
    private EchoType echo;
    private ServiceTypeRegistry types;
    private DirectorService director;
    private final FakeAccounts accounts = new FakeAccounts();
    private final FakeCredits credits = new FakeCredits();
    private final FakeCodeVersions code = new FakeCodeVersions();

    @Before
    public void setUp() {
        db = new TestDatabase(folder.getRoot().toPath());
        cloud = new FakeCloud();
        agents = new FakeAgents(cloud);
        echo = new EchoType();
        director = newDirector();
    }

    @After
    public void tearDown() {
        director.deactivate();
        db.close();
    }

    private DirectorService newDirector() {
        types = new ServiceTypeRegistry();
        types.register(new RegisteredType(echo, "1.0.0", () -> new byte[] {1}));
        CloudRegistry clouds = new CloudRegistry();
        clouds.bindCloud(cloud);
        return new DirectorService(new Store(db), types, clouds, new FakePki(), agents, accounts, credits, null, code,
                new NodeProvisioner.Settings("test", new FakeUserData(), Duration.ofSeconds(5)),
                new DirectorService.Registration(false, 50), folder.getRoot().toPath().resolve("data"),
                new VersionInfo("1", "test"), NodeHealthMonitor.Settings.DEFAULT, new InputLimits(3, 4, 1));
    }

    private ServiceInfo runningService() {
        director.createApplication(USER, "shop");
        director.startApplication(USER, "shop");
        director.addService(USER, "shop", "echo", null);
        director.startService(USER, "shop", "1", null);
        ServiceInfo started = director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(started.stateReason(), State.RUNNING, started.state());
        return started;
    }

    @Test
    public void serviceLifeCycleScalesAndReleasesEveryNode() {
        ServiceInfo started = runningService();
        assertEquals("New echo service", started.name());
        assertEquals(Map.of("node", 1), started.nodes());

        director.addNodes(USER, "shop", "1", Map.of("node", 2), null);
        assertEquals(State.RUNNING, director.awaitSettled(USER, "shop", "1", WAIT).state());
        assertEquals(3, cloud.machines.size());
        assertEquals(List.of("hello from node-1", "hello from node-2", "hello from node-3"),
                director.invoke(USER, "shop", "1", "greet", Map.of(), Map.of()));

        director.removeNodes(USER, "shop", "1", Map.of("count", 1));
        assertEquals(State.RUNNING, director.awaitSettled(USER, "shop", "1", WAIT).state());
        List<String> left = director.nodes(USER, "shop", "1").stream().map(NodeInfo::id).toList();
        assertEquals("the newest node goes first", List.of("node-1", "node-2"), left);
        assertEquals(2, cloud.machines.size());

        director.stopService(USER, "shop", "1");
        assertEquals(State.STOPPED, director.awaitSettled(USER, "shop", "1", WAIT).state());
        assertTrue(cloud.machines.isEmpty());
        assertEquals(List.of("start 1", "add 2", "stop"), echo.calls);
        List<State> history = director.history(USER, "shop", "1").stream().map(StateChange::state).toList();
        assertEquals(List.of(State.INIT, State.PROLOGUE, State.RUNNING, State.ADAPTING, State.RUNNING,
                State.ADAPTING, State.RUNNING, State.EPILOGUE, State.STOPPED), history);
    }

    @Test
    public void nodesAreSizedPerRequestOnlyWhereTheCloudCanDoIt() {
        runningService();
        NodeSize size = new NodeSize(384, 512);
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> director.addNodes(USER, "shop", "1", Map.of("node", 1), null, size));
        assertTrue(refused.getMessage(), refused.getMessage().contains("cannot size nodes per request"));
        assertEquals("nothing launched", 1, cloud.machines.size());

        cloud.sizesNodes = true;
        director.addNodes(USER, "shop", "1", Map.of("node", 1), null, size);
        assertEquals(State.RUNNING, director.awaitSettled(USER, "shop", "1", WAIT).state());
        assertEquals(List.of(NodeSize.DEFAULT, size), cloud.sizes);
        assertThrows(InvalidInputException.class, () -> new NodeSize(16, null));
    }

    @Test
    public void namedNodesAreRemovedWhateverTheManagerWouldChoose() {
        runningService();
        director.addNodes(USER, "shop", "1", Map.of("node", 2), null);
        assertEquals(State.RUNNING, director.awaitSettled(USER, "shop", "1", WAIT).state());
        assertThrows(NotFoundException.class,
                () -> director.removeChosenNodes(USER, "shop", "1", List.of("node-9")));
        assertThrows(InvalidInputException.class,
                () -> director.removeChosenNodes(USER, "shop", "1", List.of("node-2", "node-2")));
        assertThrows(InvalidInputException.class, () -> director.removeChosenNodes(USER, "shop", "1", List.of()));
        assertEquals("a service keeps at least one node", "roles", assertThrows(InvalidInputException.class,
                () -> director.removeChosenNodes(USER, "shop", "1", List.of("node-1", "node-2", "node-3")))
                .parameter());
        assertEquals(3, cloud.machines.size());

        director.removeChosenNodes(USER, "shop", "1", List.of("node-2"));
        ServiceInfo after = director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(after.stateReason(), State.RUNNING, after.state());
        assertEquals("removed nodes node=1 (node-2)", after.stateReason());
        assertEquals("not the newest: the one named", List.of("node-1", "node-3"),
                director.nodes(USER, "shop", "1").stream().map(NodeInfo::id).toList());
        assertEquals(2, cloud.machines.size());
    }

    @Test
    public void badInputIsRefusedAndChangesNothing() {
        director.createApplication(USER, "shop");
        assertThrows(ConflictException.class, () -> director.createApplication(USER, "shop"));
        assertThrows(WrongStateException.class, () -> director.addService(USER, "shop", "echo", null));
        director.startApplication(USER, "shop");
        assertThrows(InvalidInputException.class, () -> director.addService(USER, "shop", "nosuchtype", null));
        assertThrows(NotFoundException.class, () -> director.addService(USER, "nosuchapp", "echo", null));
        assertThrows(NotFoundException.class, () -> director.application("bob", "shop"));
        director.addService(USER, "shop", "echo", null);
        WrongStateException notRunning = assertThrows(WrongStateException.class,
                () -> director.addNodes(USER, "shop", "1", Map.of("node", 1), null));
        assertEquals(State.INIT, notRunning.current());

        director.startService(USER, "shop", "1", null);
        director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals("Invalid number of nodes -1", assertThrows(InvalidInputException.class,
                () -> director.addNodes(USER, "shop", "1", Map.of("node", -1), null)).getMessage());
        assertEquals("Need a positive value for at least one role", assertThrows(InvalidInputException.class,
                () -> director.addNodes(USER, "shop", "1", Map.of("node", 0), null)).getMessage());
        assertEquals("Wrong node type 'db' for service type 'echo'.", assertThrows(InvalidInputException.class,
                () -> director.addNodes(USER, "shop", "1", Map.of("db", 1), null)).getMessage());
        assertThrows(InvalidInputException.class, () -> director.removeNodes(USER, "shop", "1", Map.of("node", 1)));
        assertThrows(InvalidInputException.class, () -> director.addNodes(USER, "shop", "1", Map.of("node", 1),
                "nosuchcloud"));
        assertEquals("value", assertThrows(InvalidInputException.class,
                () -> director.invoke(USER, "shop", "1", "set", Map.of("value", "x"), Map.of())).parameter());
        assertEquals("bogus", assertThrows(InvalidInputException.class,
                () -> director.invoke(USER, "shop", "1", "set", Map.of("value", 1, "bogus", 2), Map.of()))
                .parameter());
        assertThrows(NotFoundException.class, () -> director.invoke(USER, "shop", "1", "nope", Map.of(), Map.of()));

        ServiceInfo after = director.service(USER, "shop", "1");
        assertEquals(State.RUNNING, after.state());
        assertEquals(Map.of("node", 1), after.nodes());
        assertEquals(1, cloud.machines.size());
    }

    @Test
    public void serviceNumbersAreNeverReused() {
        director.createApplication(USER, "shop");
        director.startApplication(USER, "shop");
        director.addService(USER, "shop", "echo", "a");
        director.addService(USER, "shop", "echo", "b");
        director.removeService(USER, "shop", "2");
        assertEquals(3, director.addService(USER, "shop", "echo", "c").id());
        assertEquals(List.of("a", "c"), director.services(USER, "shop").stream().map(ServiceInfo::name).toList());
    }

    @Test
    public void aFailedStartEndsInErrorWithTheReasonAndHoldsNothing() {
        cloud.failLaunches = true;
        director.createApplication(USER, "shop");
        director.startApplication(USER, "shop");
        director.addService(USER, "shop", "echo", null);
        director.startService(USER, "shop", "1", null);
        ServiceInfo failed = director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(State.ERROR, failed.state());
        assertTrue(failed.stateReason(), failed.stateReason().contains("quota exceeded"));
        assertTrue(director.nodes(USER, "shop", "1").isEmpty());
        assertTrue(director.managerLog(USER, "shop", "1", 0).contains("quota exceeded"));
    }

    @Test
    public void anAgentThatDropsItsFirstSetUpCallIsAskedAgainAndTheBatchStarts() {
        runningService();
        agents.dropFirstInstall.addAll(List.of("node-2", "node-3"));
        director.addNodes(USER, "shop", "1", Map.of("node", 2), null);
        ServiceInfo settled = director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(settled.stateReason(), State.RUNNING, settled.state());
        assertEquals(List.of("node-1", "node-2", "node-3"),
                director.nodes(USER, "shop", "1").stream().map(NodeInfo::id).toList());
        assertEquals(Integer.valueOf(2), agents.installs.get("node-2"));
        assertEquals(Integer.valueOf(2), agents.installs.get("node-3"));
        assertEquals(3, cloud.machines.size());
    }

    @Test
    public void aNodeTheCloudReportsFailedReleasesTheWholeBatchWithTheCloudsReason() {
        runningService();
        cloud.capacityPerRequest = 1;
        director.addNodes(USER, "shop", "1", Map.of("node", 2), null);
        ServiceInfo settled = director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(State.RUNNING, settled.state());
        assertTrue(settled.stateReason(), settled.stateReason().contains("no capacity left in zone z1"));
        assertEquals("the node the cloud did launch is released too", 1, cloud.machines.size());
        assertEquals(List.of("node-1"), director.nodes(USER, "shop", "1").stream().map(NodeInfo::id).toList());
    }

    @Test
    public void eachMachineIsRecordedBeforeTheLaunchReturnsAndTheAgentPortIsTheClouds() {
        List<String> recordedAtCreation = new java.util.concurrent.CopyOnWriteArrayList<>();
        cloud.afterMachineCreated = vmId -> recordedAtCreation.addAll(db.call(em -> em.createQuery(
                "select n.vmId from NodeEntity n where n.vmId = :v", String.class).setParameter("v", vmId)
                .getResultList()));
        runningService();
        assertEquals(List.of("vm-1"), recordedAtCreation);
        assertEquals(5555, director.nodes(USER, "shop", "1").get(0).port());
    }

    @Test
    public void anUninstalledTypeKeepsItsServicesAndComesBack() {
        runningService();
        types.unregister("echo", echo);
        assertFalse(director.service(USER, "shop", "1").typeInstalled());
        assertEquals("service type echo is not installed", assertThrows(TypeNotInstalledException.class,
                () -> director.invoke(USER, "shop", "1", "greet", Map.of(), Map.of())).getMessage());
        assertThrows(TypeNotInstalledException.class, () -> director.stopService(USER, "shop", "1"));

        types.register(new RegisteredType(echo, "1.0.0", () -> new byte[] {1}));
        assertEquals(List.of("hello from node-1"), director.invoke(USER, "shop", "1", "greet", Map.of(), Map.of()));
    }

    @Test
    public void aRestartReattachesLiveNodesAndSettlesWhatWasInFlight() {
        runningService();
        director.addNodes(USER, "shop", "1", Map.of("node", 1), null);
        director.awaitSettled(USER, "shop", "1", WAIT);
        director.addService(USER, "shop", "echo", "half-started");
        // A crash mid-start: the service is left in PROLOGUE with no node.
        db.run(em -> em.createQuery("update ServiceEntity s set s.state = :s where s.number = 2")
                .setParameter("s", State.PROLOGUE).executeUpdate());
        agents.dead.add("node-2");
        cloud.machines.put("vm-orphan", new org.conpaas.api.cloud.CloudNode("vm-orphan", "node-99", "127.9.9.9",
                5555, org.conpaas.api.cloud.CloudNodeState.RUNNING, null));
        director.deactivate();

        director = newDirector();
        director.recover();

        List<NodeInfo> nodes = director.nodes(USER, "shop", "1");
        assertEquals(NodeStatus.RUNNING, nodes.get(0).status());
        assertEquals(NodeStatus.FAILED, nodes.get(1).status());
        assertTrue(nodes.get(1).statusReason().contains("did not answer"));
        ServiceInfo interrupted = director.service(USER, "shop", "2");
        assertEquals(State.ERROR, interrupted.state());
        assertTrue(interrupted.stateReason().contains("restarted"));
        assertFalse("orphans are terminated", cloud.machines.containsKey("vm-orphan"));
        assertEquals(List.of("hello from node-1"), director.invoke(USER, "shop", "1", "greet", Map.of(), Map.of()));
    }

    @Test
    public void startingNodesNeedsCreditAndChargesTheOwner() {
        runningService();
        assertEquals(Integer.valueOf(1), credits.started.get(USER));
        credits.broke.add(USER);
        assertThrows(InsufficientCreditException.class,
                () -> director.addNodes(USER, "shop", "1", Map.of("node", 1), null));
        assertEquals(State.RUNNING, director.service(USER, "shop", "1").state());
    }

    @Test
    public void otherUsersSeeNothingAndAdministratorsReachObjectsById() {
        long id = runningService().applicationId();
        assertThrows(NotFoundException.class, () -> director.application("bob", "shop"));
        assertThrows(NotFoundException.class, () -> director.application("bob", String.valueOf(id)));
        assertThrows(NotFoundException.class, () -> director.nodes("bob", String.valueOf(id), "1"));
        assertThrows(NotFoundException.class, () -> director.charges("bob", USER));
        assertThrows(org.conpaas.api.ForbiddenException.class, () -> director.users("bob"));
        assertEquals("shop", director.application("root", String.valueOf(id)).name());
        assertEquals(1, director.nodes("root", String.valueOf(id), "1").size());
    }

    @Test
    public void exhaustedCreditStopsEveryServiceAndKeepsTheData() {
        runningService();
        director.stopAllServicesOf(USER, "credit exhausted");
        ServiceInfo stopped = director.service(USER, "shop", "1");
        assertEquals(State.STOPPED, stopped.state());
        assertEquals("credit exhausted", stopped.stateReason());
        assertTrue(cloud.machines.isEmpty());
        assertEquals(State.RUNNING, director.application(USER, "shop").state());
    }

    @Test
    public void aStartupScriptIsHandedToEveryNodeCreatedAfterwards() {
        director.createApplication(USER, "shop");
        director.startApplication(USER, "shop");
        director.addService(USER, "shop", "echo", null);
        director.setStartupScript(USER, "shop", "1", "echo ready > marker");
        assertEquals("echo ready > marker", director.startupScript(USER, "shop", "1"));
        director.startService(USER, "shop", "1", null);
        director.awaitSettled(USER, "shop", "1", WAIT);
        director.setStartupScript(USER, "shop", "1", "");
        director.addNodes(USER, "shop", "1", Map.of("node", 1), null);
        director.awaitSettled(USER, "shop", "1", WAIT);

        assertTrue(cloud.launched.get(0).userData(), cloud.launched.get(0).userData().endsWith("echo ready > marker"));
        assertFalse("a cleared script is not run", cloud.launched.get(1).userData().contains("marker"));
        assertEquals(null, director.startupScript(USER, "shop", "1"));
        assertThrows(NotFoundException.class, () -> director.startupScript("bob", "shop", "1"));
    }

    @Test
    public void activatingCodeIsImmediateWithoutNodesAndAChangeWhileRunning() {
        director.createApplication(USER, "shop");
        director.startApplication(USER, "shop");
        director.addService(USER, "shop", "echo", null);
        UploadedFile archive = new UploadedFile("file", "app.zip", folder.getRoot().toPath());
        String first = director.uploadCode(USER, "shop", "1", archive, null).id();
        assertEquals(State.INIT, director.activateCode(USER, "shop", "1", first).state());
        assertTrue(director.codeVersions(USER, "shop", "1").get(0).active());
        String refused = director.uploadCode(USER, "shop", "1", archive, null).id();
        echo.refuseCode = refused;
        assertThrows("the type checks versions without nodes too", InvalidInputException.class,
                () -> director.activateCode(USER, "shop", "1", refused));
        assertEquals(first, director.codeVersions(USER, "shop", "1").stream()
                .filter(org.conpaas.api.model.CodeVersionInfo::active).findFirst().orElseThrow().id());

        director.startService(USER, "shop", "1", null);
        director.awaitSettled(USER, "shop", "1", WAIT);
        String second = director.uploadCode(USER, "shop", "1", archive, null).id();
        assertThrows(NotFoundException.class, () -> director.activateCode(USER, "shop", "1", "code-nope"));
        assertEquals(State.RUNNING, director.service(USER, "shop", "1").state());
        assertEquals(State.ADAPTING, director.activateCode(USER, "shop", "1", second).state());
        ServiceInfo settled = director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(State.RUNNING, settled.state());
        assertEquals("activated " + second, settled.stateReason());
        assertTrue(echo.calls.contains("code " + second));
        assertThrows(NotFoundException.class, () -> director.codeVersions("bob", "shop", "1"));
    }

    /** Uploads the archive as a new code version of the running service and activates it. */
    private String activeCode(UploadedFile archive) {
        String version = director.uploadCode(USER, "shop", "1", archive, null).id();
        director.activateCode(USER, "shop", "1", version);
        assertEquals(State.RUNNING, director.awaitSettled(USER, "shop", "1", WAIT).state());
        return version;
    }

    @Test
    public void everyNodeGetsTheActiveCodeAndANodeThatRefusesAVersionSendsTheOthersBack() {
        runningService();
        UploadedFile archive = new UploadedFile("file", "app.zip", folder.getRoot().toPath());
        String good = activeCode(archive);
        director.addNodes(USER, "shop", "1", Map.of("node", 2), null);
        director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals("a new node gets the active version when its plug-in is installed",
                Map.of("node-1", good, "node-2", good, "node-3", good), agents.codeActive);
        assertTrue(director.nodes(USER, "shop", "1").stream().allMatch(n -> good.equals(n.codeVersion())));

        String bad = director.uploadCode(USER, "shop", "1", archive, null).id();
        agents.refuseActivation.put("node-3", bad);
        director.activateCode(USER, "shop", "1", bad);
        ServiceInfo settled = director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(State.RUNNING, settled.state());
        assertTrue(settled.stateReason(), settled.stateReason().contains("node node-3 refused activating code version "
                + bad + ": the plug-in cannot serve it"));
        assertTrue(settled.stateReason(), settled.stateReason().endsWith(good + " stays active"));
        assertTrue("every node stored the version first", agents.codeStored.values().stream()
                .allMatch(versions -> versions.contains(bad)));
        assertEquals("the nodes that switched went back", Map.of("node-1", good, "node-2", good, "node-3", good),
                agents.codeActive);
        assertTrue(director.nodes(USER, "shop", "1").stream().allMatch(n -> good.equals(n.codeVersion())));
        assertTrue("the type's reaction runs only once every node switched", echo.calls.stream()
                .noneMatch(call -> call.equals("code " + bad)));
    }

    @Test
    public void aFailedActivationOrRemovalKeepsTheServiceRunningAsBefore() {
        runningService();
        UploadedFile archive = new UploadedFile("file", "app.zip", folder.getRoot().toPath());
        String good = activeCode(archive);
        String bad = director.uploadCode(USER, "shop", "1", archive, null).id();
        echo.failCode = bad;
        director.activateCode(USER, "shop", "1", bad);
        ServiceInfo afterBadCode = director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(State.RUNNING, afterBadCode.state());
        assertEquals("activating " + bad + " failed: the application failed to start; " + good + " stays active",
                afterBadCode.stateReason());
        assertEquals(good, director.codeVersions(USER, "shop", "1").stream()
                .filter(org.conpaas.api.model.CodeVersionInfo::active).findFirst().orElseThrow().id());

        director.addNodes(USER, "shop", "1", Map.of("node", 1), null);
        director.awaitSettled(USER, "shop", "1", WAIT);
        echo.failRemoval = "a proxy refused its configuration";
        director.removeNodes(USER, "shop", "1", Map.of("node", 1));
        ServiceInfo afterBadRemoval = director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(State.RUNNING, afterBadRemoval.state());
        assertTrue(afterBadRemoval.stateReason(), afterBadRemoval.stateReason().endsWith(
                "a proxy refused its configuration; the service keeps all its nodes"));
        assertEquals(2, director.nodes(USER, "shop", "1").size());
        assertEquals(2, cloud.machines.size());
    }

    @Test
    public void aTypesDefaultCodeIsTheActiveVersionOfEveryNewService() {
        echo.defaultCode = new byte[] {'P', 'K'};
        director.createApplication(USER, "shop");
        director.startApplication(USER, "shop");
        director.addService(USER, "shop", "echo", null);
        List<org.conpaas.api.model.CodeVersionInfo> versions = director.codeVersions(USER, "shop", "1");
        assertEquals(1, versions.size());
        assertEquals("code-default", versions.get(0).id());
        assertTrue(versions.get(0).active());
    }

    @Test
    public void aVolumeIsCreatedAttachedAndMountedThenDeletedEverywhere() {
        runningService();
        director.addNodes(USER, "shop", "1", Map.of("node", 1), null);
        director.awaitSettled(USER, "shop", "1", WAIT);

        ServiceInfo creating = director.createVolume(USER, "shop", "1", "data", 64, "node-2");
        assertEquals(State.ADAPTING, creating.state());
        ServiceInfo created = director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(created.stateReason(), State.RUNNING, created.state());
        List<VolumeInfo> volumes = director.volumes(USER, "shop", "1");
        assertEquals(1, volumes.size());
        VolumeInfo data = volumes.get(0);
        assertEquals(List.of("data", 64, "node-2", "default", "/nodes/node-2/media/data"),
                List.of(data.name(), data.sizeMb(), data.node(), data.cloud(), data.path()));
        CloudVolume inCloud = cloud.volumes.values().iterator().next();
        assertEquals("test-a1-s1-data", inCloud.name());
        assertEquals(cloud.machines.values().stream().filter(m -> m.nodeId().equals("node-2")).findFirst()
                .orElseThrow().vmId(), inCloud.attachedTo());
        assertEquals(Map.of("node-2/data", inCloud.device()), agents.mounted);

        director.deleteVolume(USER, "shop", "1", "data");
        assertEquals(State.RUNNING, director.awaitSettled(USER, "shop", "1", WAIT).state());
        assertTrue(director.volumes(USER, "shop", "1").isEmpty());
        assertTrue(cloud.volumes.isEmpty());
        assertTrue(agents.mounted.isEmpty());
    }

    @Test
    public void nodesGetTheVolumeOfTheirOwnTheTypeAsksForAndLoseItWithTheNode() {
        echo.nodeVolumeMb = 32;
        runningService();
        echo.nodeVolumeMb = 48; // a changed size applies to later nodes
        director.addNodes(USER, "shop", "1", Map.of("node", 1), null);
        assertEquals(State.RUNNING, director.awaitSettled(USER, "shop", "1", WAIT).state());
        assertEquals(List.of("node-1-data 32 node-1", "node-2-data 48 node-2"), director.volumes(USER, "shop", "1")
                .stream().map(v -> v.name() + " " + v.sizeMb() + " " + v.node()).toList());
        assertEquals(2, cloud.volumes.size());
        assertEquals(java.util.Set.of("node-1/node-1-data", "node-2/node-2-data"), agents.mounted.keySet());
        assertEquals("a node's own volume is not the user's to delete", ConflictException.class, assertThrows(
                RuntimeException.class, () -> director.deleteVolume(USER, "shop", "1", "node-2-data")).getClass());
        assertEquals("nor its name the user's to take", "name", assertThrows(InvalidInputException.class,
                () -> director.createVolume(USER, "shop", "1", "node-7-data", 8, "node-1")).parameter());

        director.removeChosenNodes(USER, "shop", "1", List.of("node-2"));
        assertEquals(State.RUNNING, director.awaitSettled(USER, "shop", "1", WAIT).state());
        assertEquals(List.of("node-1-data"), director.volumes(USER, "shop", "1").stream().map(VolumeInfo::name)
                .toList());
        assertEquals(1, cloud.volumes.size());
    }

    @Test
    public void badVolumeRequestsAreRefusedAndChangeNothing() {
        runningService();
        assertEquals("name", assertThrows(InvalidInputException.class,
                () -> director.createVolume(USER, "shop", "1", "../etc", 10, "node-1")).parameter());
        assertEquals("sizeMb", assertThrows(InvalidInputException.class,
                () -> director.createVolume(USER, "shop", "1", "data", 0, "node-1")).parameter());
        assertThrows(NotFoundException.class, () -> director.createVolume(USER, "shop", "1", "data", 10, "node-9"));
        assertThrows(NotFoundException.class, () -> director.deleteVolume(USER, "shop", "1", "data"));
        assertThrows(NotFoundException.class, () -> director.volumes("bob", "shop", "1"));
        echo.refuseVolumes = "scripts are running";
        assertEquals("scripts are running", assertThrows(ConflictException.class,
                () -> director.createVolume(USER, "shop", "1", "data", 10, "node-1")).getMessage());
        echo.refuseVolumes = null;
        director.createVolume(USER, "shop", "1", "data", 10, "node-1");
        director.awaitSettled(USER, "shop", "1", WAIT);
        assertThrows(ConflictException.class, () -> director.createVolume(USER, "shop", "1", "data", 10, "node-1"));
        echo.refuseVolumes = "scripts are running";
        assertThrows(ConflictException.class, () -> director.deleteVolume(USER, "shop", "1", "data"));
        assertEquals(1, director.volumes(USER, "shop", "1").size());
        assertEquals(1, cloud.volumes.size());
        List<State> states = director.history(USER, "shop", "1").stream().map(StateChange::state).toList();
        assertEquals("only the one creation changed the state", List.of(State.INIT, State.PROLOGUE, State.RUNNING,
                State.ADAPTING, State.RUNNING), states);
    }

    @Test
    public void aFailedAttachLeavesNoVolumeAndTheServiceRunning() {
        runningService();
        cloud.failAttach = true;
        director.createVolume(USER, "shop", "1", "data", 10, "node-1");
        ServiceInfo after = director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(State.RUNNING, after.state());
        assertEquals("creating volume data failed: no free device", after.stateReason());
        assertTrue(director.volumes(USER, "shop", "1").isEmpty());
        assertTrue("the half-made volume was deleted", cloud.volumes.isEmpty());
    }

    @Test
    public void removingANodeOrStoppingTheServiceDestroysItsVolumes() {
        runningService();
        director.addNodes(USER, "shop", "1", Map.of("node", 1), null);
        director.awaitSettled(USER, "shop", "1", WAIT);
        director.createVolume(USER, "shop", "1", "first", 10, "node-1");
        director.awaitSettled(USER, "shop", "1", WAIT);
        director.createVolume(USER, "shop", "1", "second", 10, "node-2");
        director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(2, cloud.volumes.size());

        director.removeNodes(USER, "shop", "1", Map.of("node", 1));
        director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(List.of("first"), director.volumes(USER, "shop", "1").stream().map(VolumeInfo::name).toList());
        assertEquals(1, cloud.volumes.size());

        director.stopService(USER, "shop", "1");
        assertEquals(State.STOPPED, director.awaitSettled(USER, "shop", "1", WAIT).state());
        assertTrue(director.volumes(USER, "shop", "1").isEmpty());
        assertTrue(cloud.volumes.isEmpty());
    }

    @Test
    public void nodeCountsAreBoundedPerRequestAndPerServiceAndChangeNothing() {
        runningService(); // 1 node; the limits here are 3 per request and 4 per service
        InvalidInputException huge = assertThrows(InvalidInputException.class,
                () -> director.addNodes(USER, "shop", "1", Map.of("node", Integer.MAX_VALUE), null));
        assertTrue(huge.getMessage(), huge.getMessage().contains("at most 3 (maxNodesPerRequest)"));
        InvalidInputException summed = assertThrows(InvalidInputException.class,
                () -> director.addNodes(USER, "shop", "1", Map.of("node", 2, "count", 2), null));
        assertTrue(summed.getMessage(), summed.getMessage().contains("Cannot handle 4 nodes"));
        assertEquals("nothing launched", 1, cloud.machines.size());
        assertEquals(State.RUNNING, director.service(USER, "shop", "1").state());

        director.addNodes(USER, "shop", "1", Map.of("node", 3), null);
        assertEquals(State.RUNNING, director.awaitSettled(USER, "shop", "1", WAIT).state());
        InvalidInputException full = assertThrows(InvalidInputException.class,
                () -> director.addNodes(USER, "shop", "1", Map.of("node", 1), null));
        assertTrue(full.getMessage(), full.getMessage().contains("the service has 4 and may have at most 4 "
                + "(maxNodesPerService)"));
        assertEquals(4, cloud.machines.size());
        assertEquals(State.RUNNING, director.service(USER, "shop", "1").state());

        InvalidInputException script = assertThrows(InvalidInputException.class,
                () -> director.setStartupScript(USER, "shop", "1", "#".repeat(1025)));
        assertTrue(script.getMessage(), script.getMessage().contains("1 KB (maxStartupScriptKb)"));
        director.setStartupScript(USER, "shop", "1", "#".repeat(1024));
    }

    @Test
    public void aStopCancelsNodesStillStartingAndReleasesThem() {
        runningService();
        agents.silent = true; // the new nodes never answer: the change would take the whole start timeout (5 s)
        assertEquals(State.ADAPTING, director.addNodes(USER, "shop", "1", Map.of("node", 2), null).state());
        assertTrue("launched", waitFor(() -> cloud.machines.size() == 3));
        long began = System.nanoTime();
        assertEquals(State.EPILOGUE, director.stopService(USER, "shop", "1").state());
        ServiceInfo stopped = director.awaitSettled(USER, "shop", "1", WAIT);
        assertEquals(stopped.stateReason(), State.STOPPED, stopped.state());
        assertTrue("cancelled, not timed out", Duration.ofNanos(System.nanoTime() - began).toMillis() < 4000);
        assertTrue("every machine released: " + cloud.machines, cloud.machines.isEmpty());
        assertTrue(director.nodes(USER, "shop", "1").isEmpty());
        List<State> history = director.history(USER, "shop", "1").stream().map(StateChange::state).toList();
        assertEquals(List.of(State.ADAPTING, State.EPILOGUE, State.STOPPED),
                history.subList(history.size() - 3, history.size()));

        // the same for a start that never finishes (PROLOGUE), and the service can start again afterwards
        director.startService(USER, "shop", "1", null);
        assertTrue("launched", waitFor(() -> cloud.machines.size() == 1));
        assertEquals(State.EPILOGUE, director.stopService(USER, "shop", "1").state());
        assertEquals(State.STOPPED, director.awaitSettled(USER, "shop", "1", WAIT).state());
        assertTrue(cloud.machines.isEmpty());
        agents.silent = false;
        director.startService(USER, "shop", "1", null);
        assertEquals(State.RUNNING, director.awaitSettled(USER, "shop", "1", WAIT).state());
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Issues nothing real: the fake agents need no TLS. */
    static final class FakePki implements Pki {
        @Override
        public X509Certificate caCertificate() {
            return null;
        }

        @Override
        public NodeCredentials issueNodeCredentials(String nodeId, String userId, long applicationId) {
            return new NodeCredentials(new byte[0], new byte[0], "secret");
        }

        @Override
        public SSLContext agentClientContext() {
            return null;
        }
    }

}
