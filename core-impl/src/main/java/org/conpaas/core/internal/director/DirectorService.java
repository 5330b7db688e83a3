package org.conpaas.core.internal.director;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.persistence.EntityManager;
import org.conpaas.api.ConflictException;
import org.conpaas.api.ConpaasException;
import org.conpaas.api.ForbiddenException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.OperationFailedException;
import org.conpaas.api.State;
import org.conpaas.api.WrongStateException;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.ApplicationInfo;
import org.conpaas.api.model.Charge;
import org.conpaas.api.model.CloudInfo;
import org.conpaas.api.model.CodeVersionInfo;
import org.conpaas.api.model.NewUser;
import org.conpaas.api.model.UserInfo;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.NodeStatus;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.ServiceTypeInfo;
import org.conpaas.api.model.StateChange;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.model.VersionInfo;
import org.conpaas.api.model.VolumeInfo;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.accounts.Accounts;
import org.conpaas.core.internal.agent.AgentClient;
import org.conpaas.core.internal.code.CodeVersions;
import org.conpaas.core.internal.credit.Credits;
import org.conpaas.core.internal.credit.ServiceStopper;
import org.conpaas.core.internal.persistence.ApplicationEntity;
import org.conpaas.core.internal.persistence.NodeEntity;
import org.conpaas.core.internal.persistence.ServiceEntity;
import org.conpaas.core.internal.persistence.Store;
import org.conpaas.core.internal.persistence.VolumeEntity;
import org.conpaas.core.internal.security.Pki;
import org.conpaas.core.internal.security.UserCertificates;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The director: applications, services and their nodes. Short state checks run under one lock and one transaction;
 * the long parts (launching, configuring, releasing nodes) run in the background and end in a settled state with
 * a reason, whatever happens.
 */
@Component(service = {Director.class, ServiceStopper.class}, immediate = true,
        configurationPid = "org.conpaas.director")
@Designate(ocd = DirectorConfig.class)
public class DirectorService implements Director, ServiceStopper {
    private static final Logger LOG = LoggerFactory.getLogger(DirectorService.class);
    private static final Set<State> STARTABLE = EnumSet.of(State.INIT, State.STOPPED);
    /** A stop may also cut a start or a change short: whatever is in flight is cancelled and released. */
    private static final Set<State> STOPPABLE = EnumSet.of(State.RUNNING, State.ERROR, State.PROLOGUE,
            State.ADAPTING);
    private static final Set<State> CHANGEABLE = EnumSet.of(State.RUNNING);
    private static final Set<State> IN_FLIGHT = EnumSet.of(State.PROLOGUE, State.ADAPTING, State.EPILOGUE);
    private static final Duration SETTLE_POLL = Duration.ofMillis(100);
    /** How long a stop waits for a cancelled change to undo itself before releasing the nodes anyway. */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(60);

    private final Store store;
    private final ServiceTypeRegistry types;
    private final CloudRegistry clouds;
    private final AgentClient agentClient;
    private final Accounts accounts;
    private final Credits credits;
    private final UserCertificates certificates;
    private final CodeVersions code;
    private final Registration registration;
    private final NodeProvisioner provisioner;
    private final VolumeKeeper volumes;
    private final FailedNodeHandler failedNodes;
    private final NodeHealthMonitor healthMonitor;
    private final ExecutorService executor;
    private final Path dataDir;
    private final VersionInfo version;
    private final Map<Long, ManagedService> live = new ConcurrentHashMap<>();
    private final InFlightWork inFlight = new InFlightWork();
    private final InputLimits limits;
    private final Object stateLock = new Object();

    /** The self-registration settings of the director's configuration. */
    public record Registration(boolean open, long maxStartingCredit) {
    }

    @Activate
    public DirectorService(@Reference Store store, @Reference ServiceTypeRegistry types,
            @Reference CloudRegistry clouds, @Reference Pki pki, @Reference AgentClient agentClient,
            @Reference Accounts accounts, @Reference Credits credits, @Reference UserCertificates certificates,
            @Reference CodeVersions code, DirectorConfig config, BundleContext context) {
        this(store, types, clouds, pki, agentClient, accounts, credits, certificates, code, settings(config),
                new Registration(config.selfRegistration(), config.maxStartingCredit()), dataDir(config),
                new VersionInfo(context.getBundle().getVersion().toString(), config.deploymentName()),
                NodeHealthMonitor.Settings.of(config), InputLimits.of(config));
        Thread recovery = new Thread(() -> {
            recover();
            // After recovery: nodes that did not survive the restart are settled there, not declared twice.
            healthMonitor.start();
        }, "conpaas-director-recovery");
        recovery.setDaemon(true);
        recovery.start();
    }

    public DirectorService(Store store, ServiceTypeRegistry types, CloudRegistry clouds, Pki pki,
            AgentClient agentClient, Accounts accounts, Credits credits, UserCertificates certificates,
            CodeVersions code, NodeProvisioner.Settings settings, Registration registration, Path dataDir,
            VersionInfo version) {
        this(store, types, clouds, pki, agentClient, accounts, credits, certificates, code, settings, registration,
                dataDir, version, NodeHealthMonitor.Settings.DEFAULT, InputLimits.DEFAULTS);
    }

    DirectorService(Store store, ServiceTypeRegistry types, CloudRegistry clouds, Pki pki,
            AgentClient agentClient, Accounts accounts, Credits credits, UserCertificates certificates,
            CodeVersions code, NodeProvisioner.Settings settings, Registration registration, Path dataDir,
            VersionInfo version, NodeHealthMonitor.Settings nodeChecks, InputLimits limits) {
        this.limits = limits;
        this.store = store;
        this.types = types;
        this.clouds = clouds;
        this.agentClient = agentClient;
        this.accounts = accounts;
        this.credits = credits;
        this.certificates = certificates;
        this.code = code;
        this.registration = registration;
        this.dataDir = dataDir;
        this.version = version;
        this.executor = Executors.newCachedThreadPool(daemonThreads("conpaas-director-"));
        this.volumes = new VolumeKeeper(store, clouds, agentClient, settings.deploymentName());
        this.provisioner = new NodeProvisioner(store, clouds, pki, agentClient, executor, settings, volumes);
        this.failedNodes = new FailedNodeHandler(store, clouds, types, credits, stateLock,
                (serviceDbId, work) -> inFlight.submit(executor, serviceDbId, work), this::managed, this::runAddNodes);
        this.healthMonitor = new NodeHealthMonitor(store, agentClient, failedNodes, nodeChecks);
        types.onRemoval(this::forgetManagersOf);
    }

    @Deactivate
    public void deactivate() {
        // In-flight work is cut short here; recover() settles it at the next start.
        healthMonitor.stop();
        executor.shutdownNow();
        live.values().forEach(ManagedService::dispose);
        live.clear();
    }

    /** Settles what a previous run left in flight and re-attaches the nodes whose agents still answer. */
    public void recover() {
        new Recovery(store, clouds, types, agentClient, provisioner, failedNodes).run();
    }

    /** The node failure detection (tests run its rounds directly). */
    NodeHealthMonitor healthMonitor() {
        return healthMonitor;
    }

    // ---------------------------------------------------------------- platform

    @Override
    public VersionInfo version() {
        return version;
    }

    @Override
    public List<ServiceTypeInfo> serviceTypes() {
        return types.all().stream().map(RegisteredType::info).toList();
    }

    @Override
    public List<CloudInfo> clouds() {
        return clouds.all();
    }

    @Override
    public List<NodeInfo> resources(String user) {
        return store.tx(em -> store.nodesOfOwner(em, user).stream()
                .map(n -> Store.info(n, em.find(ServiceEntity.class, n.getServiceId()).getNumber()))
                .toList());
    }

    // ---------------------------------------------------------------- applications

    @Override
    public ApplicationInfo createApplication(String user, String name) {
        String checked = Names.check("name", name == null ? "New Application" : name);
        synchronized (stateLock) {
            return store.tx(em -> {
                if (store.applicationNameTaken(em, user, checked)) {
                    throw new ConflictException("an application named '" + checked + "' already exists");
                }
                ApplicationEntity app = new ApplicationEntity(user, checked, store.now());
                em.persist(app);
                em.flush();
                return Store.info(app);
            });
        }
    }

    @Override
    public List<ApplicationInfo> applications(String user) {
        return store.tx(em -> store.applications(em, user).stream().map(Store::info).toList());
    }

    @Override
    public ApplicationInfo application(String user, String app) {
        return store.tx(em -> Store.info(application(em, user, app)));
    }

    @Override
    public ApplicationInfo renameApplication(String user, String app, String newName) {
        String checked = Names.check("name", newName);
        synchronized (stateLock) {
            return store.tx(em -> {
                ApplicationEntity a = application(em, user, app);
                if (!a.getName().equals(checked) && store.applicationNameTaken(em, user, checked)) {
                    throw new ConflictException("an application named '" + checked + "' already exists");
                }
                a.setName(checked);
                return Store.info(a);
            });
        }
    }

    @Override
    public ApplicationInfo startApplication(String user, String app) {
        synchronized (stateLock) {
            return store.tx(em -> {
                ApplicationEntity a = application(em, user, app);
                if (!STARTABLE.contains(a.getState())) {
                    throw new WrongStateException("start application " + a.getName(), a.getState(), STARTABLE);
                }
                // The managers live inside the director, so starting costs no machine: PROLOGUE is immediate.
                a.setState(State.RUNNING);
                return Store.info(a);
            });
        }
    }

    @Override
    public ApplicationInfo stopApplication(String user, String app) {
        List<ServiceKey> services = claimApplicationServices(user, app, "stop application");
        services.forEach(key -> releaseService(key, "the application was stopped"));
        return store.tx(em -> {
            ApplicationEntity a = application(em, user, app);
            a.setState(State.STOPPED);
            return Store.info(a);
        });
    }

    @Override
    public void deleteApplication(String user, String app) {
        List<ServiceKey> services = claimApplicationServices(user, app, "delete application");
        services.forEach(key -> releaseService(key, "the application was deleted"));
        List<Long> removed = store.tx(em -> {
            ApplicationEntity a = application(em, user, app);
            List<ServiceEntity> all = store.services(em, a.getId());
            all.forEach(s -> store.deleteService(em, s));
            em.remove(a);
            return all.stream().map(ServiceEntity::getId).toList();
        });
        removed.forEach(id -> {
            code.deleteAll(id);
            deleteServiceFiles(id);
        });
    }

    /** Refuses while a service is busy; returns every service that holds nodes (to be released). */
    private List<ServiceKey> claimApplicationServices(String user, String app, String action) {
        synchronized (stateLock) {
            return store.tx(em -> {
                ApplicationEntity a = application(em, user, app);
                List<ServiceEntity> services = store.services(em, a.getId());
                for (ServiceEntity s : services) {
                    if (IN_FLIGHT.contains(s.getState())) {
                        throw new ConflictException("cannot " + action + " " + a.getName() + " while service "
                                + s.getNumber() + " is " + s.getState() + "; try again when it has settled");
                    }
                }
                return services.stream().filter(s -> s.getState() != State.INIT && s.getState() != State.STOPPED
                        || !store.nodes(em, s.getId()).isEmpty()).map(s -> ServiceKey.of(a, s)).toList();
            });
        }
    }

    // ---------------------------------------------------------------- services

    @Override
    public ServiceInfo addService(String user, String app, String type, String name) {
        if (type == null || type.isBlank()) {
            throw new InvalidInputException("type", "a service type is required");
        }
        if (!types.isInstalled(type)) {
            throw new InvalidInputException("type", "unknown service type '" + type + "'; installed types: "
                    + types.all().stream().map(RegisteredType::name).toList());
        }
        String checked = Names.check("name", name == null ? "New " + type + " service" : name);
        ServiceEntity created;
        synchronized (stateLock) {
            created = store.tx(em -> {
                ApplicationEntity a = application(em, user, app);
                if (a.getState() != State.RUNNING) {
                    throw new WrongStateException("add a service to application " + a.getName(), a.getState(),
                            EnumSet.of(State.RUNNING));
                }
                ServiceEntity s = new ServiceEntity(a.getId(), a.nextServiceNumber(), checked, type, store.now());
                em.persist(s);
                em.flush();
                store.changeState(em, s, State.INIT, "created");
                return s;
            });
        }
        installDefaultCode(created.getId(), types.require(type));
        return store.tx(em -> store.info(em, em.find(ServiceEntity.class, created.getId()), true));
    }

    /** A type's own code becomes the new service's active {@code code-default}. */
    private void installDefaultCode(long serviceDbId, RegisteredType type) {
        Optional<byte[]> archive = type.type().defaultCode();
        if (archive.isEmpty()) {
            return;
        }
        Path file = null;
        try {
            file = Files.createTempFile("code-default", ".archive");
            Files.write(file, archive.get());
            code.installDefault(serviceDbId, new UploadedFile("file", "code-default", file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the default code of " + type.name(), e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    @Override
    public List<ServiceInfo> services(String user, String app) {
        return store.tx(em -> store.services(em, application(em, user, app).getId()).stream()
                .map(s -> store.info(em, s, types.isInstalled(s.getType()))).toList());
    }

    @Override
    public ServiceInfo service(String user, String app, String svc) {
        return store.tx(em -> {
            ServiceEntity s = store.service(em, application(em, user, app), svc);
            return store.info(em, s, types.isInstalled(s.getType()));
        });
    }

    @Override
    public ServiceInfo renameService(String user, String app, String svc, String newName) {
        String checked = Names.check("name", newName);
        return store.tx(em -> {
            ServiceEntity s = store.service(em, application(em, user, app), svc);
            s.setName(checked);
            return store.info(em, s, types.isInstalled(s.getType()));
        });
    }

    @Override
    public ServiceInfo setReplaceFailedNodes(String user, String app, String svc, boolean replace) {
        return store.tx(em -> {
            ServiceEntity s = store.service(em, application(em, user, app), svc);
            s.setReplaceFailedNodes(replace);
            return store.info(em, s, types.isInstalled(s.getType()));
        });
    }

    @Override
    public void removeService(String user, String app, String svc) {
        ServiceKey key;
        boolean holdsNodes;
        synchronized (stateLock) {
            key = store.tx(em -> {
                ApplicationEntity a = application(em, user, app);
                ServiceEntity s = store.service(em, a, svc);
                if (IN_FLIGHT.contains(s.getState())) {
                    throw new WrongStateException("remove service " + s.getName(), s.getState(),
                            EnumSet.complementOf(EnumSet.copyOf(IN_FLIGHT)));
                }
                return ServiceKey.of(a, s);
            });
            holdsNodes = store.tx(em -> !store.nodes(em, key.serviceDbId()).isEmpty());
        }
        if (holdsNodes) {
            releaseService(key, "the service is being removed");
        }
        store.tx(em -> {
            ServiceEntity s = em.find(ServiceEntity.class, key.serviceDbId());
            if (s != null) {
                store.deleteService(em, s);
            }
            return null;
        });
        code.deleteAll(key.serviceDbId());
        deleteServiceFiles(key.serviceDbId());
    }

    @Override
    public ServiceInfo startService(String user, String app, String svc, String cloudName) {
        CloudDriver cloud = clouds.require(cloudName);
        credits.requireCredit(owner(user, app), "start a service");
        Transition t = transition(user, app, svc, "start service", STARTABLE, State.PROLOGUE,
                "starting on cloud " + cloud.name(), (em, s) -> {
                    requireRunningApplication(em, s);
                    s.setCloud(cloud.name());
                });
        inFlight.submit(executor, t.key().serviceDbId(), cancelled -> runStart(t.key(), cloud, cancelled));
        return t.info();
    }

    @Override
    public ServiceInfo stopService(String user, String app, String svc) {
        Transition t = transition(user, app, svc, "stop service", STOPPABLE, State.EPILOGUE, "stopping",
                (em, s) -> { });
        executor.execute(() -> runStop(t.key()));
        return t.info();
    }

    @Override
    public ServiceInfo addNodes(String user, String app, String svc, Map<String, Integer> roles, String cloudName) {
        ServiceEntity current = store.tx(em -> store.service(em, application(em, user, app), svc));
        RegisteredType type = types.require(current.getType());
        Map<String, Integer> counts = NodeCounts.validate(type.type(), roles, limits.maxNodesPerRequest(),
                "maxNodesPerRequest");
        credits.requireCredit(owner(user, app), "add nodes");
        // New nodes go to the service's cloud unless the caller names another one.
        CloudDriver cloud = clouds.require(cloudName == null ? current.getCloud() : cloudName);
        Transition t = transition(user, app, svc, "add nodes", CHANGEABLE, State.ADAPTING,
                "adding " + describe(counts), (em, s) -> {
                    limits.checkServiceSize(store.nodes(em, s.getId()).size(), NodeCounts.total(counts));
                    managed(ServiceKey.of(em.find(ApplicationEntity.class, s.getApplicationId()), s)).manager()
                            .checkAddNodes(counts);
                });
        inFlight.submit(executor, t.key().serviceDbId(),
                cancelled -> runAddNodes(t.key(), counts, cloud, "", cancelled));
        return t.info();
    }

    @Override
    public ServiceInfo removeNodes(String user, String app, String svc, Map<String, Integer> roles) {
        RegisteredType type = types.require(serviceType(user, app, svc));
        Map<String, Integer> counts = NodeCounts.validate(type.type(), roles, limits.maxNodesPerService(),
                "maxNodesPerService");
        Transition t = transition(user, app, svc, "remove nodes", CHANGEABLE, State.ADAPTING,
                "removing " + describe(counts), (em, s) -> {
                    Map<String, Integer> existing = new HashMap<>();
                    store.runningNodes(em, s.getId()).forEach(n -> existing.merge(n.role(), 1, Integer::sum));
                    NodeCounts.checkRemovable(counts, existing);
                    managed(ServiceKey.of(em.find(ApplicationEntity.class, s.getApplicationId()), s)).manager()
                            .checkRemoveNodes(counts);
                });
        inFlight.submit(executor, t.key().serviceDbId(), cancelled -> runRemoveNodes(t.key(), counts));
        return t.info();
    }

    @Override
    public ServiceInfo awaitSettled(String user, String app, String svc, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ServiceInfo info = service(user, app, svc);
            if (info.state().isSettled() || System.nanoTime() >= deadline) {
                return info;
            }
            try {
                Thread.sleep(SETTLE_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return info;
            }
        }
    }

    @Override
    public java.util.concurrent.CompletionStage<ServiceInfo> whenSettled(String user, String app, String svc,
            Duration timeout) {
        service(user, app, svc); // an unknown service fails at once
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> awaitSettled(user, app, svc, timeout),
                executor);
    }

    @Override
    public List<NodeInfo> nodes(String user, String app, String svc) {
        return store.tx(em -> {
            ServiceEntity s = store.service(em, application(em, user, app), svc);
            return store.nodes(em, s.getId()).stream().map(n -> Store.info(n, s.getNumber())).toList();
        });
    }

    @Override
    public NodeInfo node(String user, String app, String svc, String node) {
        return store.tx(em -> {
            ServiceEntity s = store.service(em, application(em, user, app), svc);
            return Store.info(store.node(em, s, node), s.getNumber());
        });
    }

    @Override
    public String nodeLog(String user, String app, String svc, String node, String file, int tail) {
        ServiceNode target = store.tx(em -> {
            ServiceEntity s = store.service(em, application(em, user, app), svc);
            return Store.serviceNode(store.node(em, s, node));
        });
        if (target.address() == null) {
            throw new ConflictException("node " + node + " has no address yet");
        }
        return agentClient.log(target, file == null || file.isBlank() ? "agent.log" : file, Math.max(0, tail));
    }

    @Override
    public List<StateChange> history(String user, String app, String svc) {
        return store.tx(em -> store.history(em, store.service(em, application(em, user, app), svc).getId()));
    }

    @Override
    public String managerLog(String user, String app, String svc, int tail) {
        long serviceDbId = store.tx(em -> store.service(em, application(em, user, app), svc).getId());
        return logFile(serviceDbId).read(Math.max(0, tail));
    }

    @Override
    public List<OperationDescriptor> operations(String user, String app, String svc) {
        return types.require(serviceType(user, app, svc)).type().operations();
    }

    @Override
    public Object invoke(String user, String app, String svc, String operation, Map<String, Object> params,
            Map<String, UploadedFile> files) {
        ServiceKey key = store.tx(em -> {
            ApplicationEntity a = application(em, user, app);
            return ServiceKey.of(a, store.service(em, a, svc));
        });
        RegisteredType type = types.require(key.type());
        OperationDescriptor op = type.type().operations().stream().filter(o -> o.name().equals(operation))
                .findFirst().orElseThrow(() -> new NotFoundException("service type " + key.type()
                        + " has no operation '" + operation + "'"));
        Map<String, Object> checked = OperationParameters.validate(op, params, files);
        State state = store.tx(em -> em.find(ServiceEntity.class, key.serviceDbId()).getState());
        Set<State> allowed = op.readOnly() ? EnumSet.of(State.RUNNING, State.ADAPTING) : EnumSet.of(State.RUNNING);
        if (!allowed.contains(state)) {
            throw new WrongStateException("call " + operation, state, allowed);
        }
        ManagedService service = managed(key);
        try {
            return service.manager().invoke(operation, checked, files == null ? Map.of() : files);
        } catch (ConpaasException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        } catch (Exception e) {
            service.log().error("operation " + operation + " failed", e);
            throw new OperationFailedException("operation " + operation + " failed: " + reason(e), e);
        }
    }

    // ---------------------------------------------------------------- accounts and credit

    @Override
    public UserInfo createUser(String caller, NewUser user) {
        requireAdmin(caller, "create users");
        return accounts.create(user);
    }

    @Override
    public UserInfo registerUser(NewUser user) {
        if (!registration.open()) {
            throw new ForbiddenException("self-registration is switched off; ask an administrator for an account");
        }
        if (user == null) {
            throw new InvalidInputException("a user is required");
        }
        if (user.credit() != null && user.credit() > registration.maxStartingCredit()) {
            throw new InvalidInputException("credit", "Cannot allocate " + user.credit()
                    + " credit for a new user (max credit " + registration.maxStartingCredit() + ").");
        }
        // Whatever roles the body asks for, a self-registered account is a plain user.
        return accounts.create(new NewUser(user.username(), user.email(), user.password(), user.firstName(),
                user.lastName(), user.affiliation(), user.credit(), Set.of(UserInfo.ROLE_USER)));
    }

    @Override
    public List<UserInfo> users(String caller) {
        requireAdmin(caller, "list users");
        return accounts.list();
    }

    @Override
    public UserInfo user(String caller, String username) {
        requireSelfOrAdmin(caller, username);
        return accounts.find(username).orElseThrow(() -> new NotFoundException("user " + username + " not found"));
    }

    @Override
    public UserInfo addCredit(String caller, String username, long delta) {
        requireAdmin(caller, "change credit");
        // One transaction (the nested calls join it), so the credit never changes without its ledger line.
        return store.tx(em -> {
            UserInfo changed = accounts.adjustCredit(username, delta);
            credits.creditAdded(username, delta, changed.credit(), caller);
            return changed;
        });
    }

    @Override
    public void changePassword(String caller, String oldPassword, String newPassword) {
        accounts.changePassword(caller, oldPassword, newPassword);
    }

    @Override
    public void deleteUser(String caller, String username) {
        requireAdmin(caller, "delete users");
        if (caller.equals(username)) {
            throw new ConflictException("administrators cannot delete themselves");
        }
        accounts.find(username).orElseThrow(() -> new NotFoundException("user " + username + " not found"));
        stopAllServicesOf(username, "the user was deleted");
        accounts.delete(username);
    }

    @Override
    public List<Charge> charges(String caller, String username) {
        requireSelfOrAdmin(caller, username);
        return credits.charges(username);
    }

    @Override
    public byte[] userCertificate(String caller) {
        UserInfo user = accounts.find(caller).orElseThrow(() -> new NotFoundException("user " + caller
                + " not found"));
        return certificates.issueZip(user);
    }

    /** Credit exhausted (or user deleted): release every node of the user; services and data stay. */
    @Override
    public void stopAllServicesOf(String username, String reason) {
        List<ServiceKey> holding = store.tx(em -> store.applications(em, username).stream()
                .flatMap(a -> store.services(em, a.getId()).stream()
                        .filter(s -> s.getState() == State.RUNNING || s.getState() == State.ERROR)
                        .map(s -> ServiceKey.of(a, s)))
                .toList());
        // In-flight services finish their change first; the next credit check stops them too.
        holding.forEach(key -> releaseService(key, reason));
    }

    private void requireAdmin(String caller, String action) {
        if (!accounts.isAdmin(caller)) {
            throw new ForbiddenException("only administrators may " + action);
        }
    }

    /** Another user's account answers 404, like a missing one, unless the caller is an administrator. */
    private void requireSelfOrAdmin(String caller, String username) {
        if (!caller.equals(username) && !accounts.isAdmin(caller)) {
            throw new NotFoundException("user " + username + " not found");
        }
    }

    // ---------------------------------------------------------------- code versions and startup scripts

    @Override
    public CodeVersionInfo uploadCode(String user, String app, String svc, UploadedFile archive, String description) {
        return code.upload(serviceId(user, app, svc), archive, description);
    }

    @Override
    public List<CodeVersionInfo> codeVersions(String user, String app, String svc) {
        return code.list(serviceId(user, app, svc));
    }

    @Override
    public UploadedFile downloadCode(String user, String app, String svc, String version) {
        return code.download(serviceId(user, app, svc), version);
    }

    @Override
    public void deleteCode(String user, String app, String svc, String version) {
        code.delete(serviceId(user, app, svc), version);
    }

    @Override
    public ServiceInfo activateCode(String user, String app, String svc, String version) {
        long id = serviceId(user, app, svc);
        // Checked before any state change: an unknown version changes nothing.
        if (code.list(id).stream().noneMatch(v -> v.id().equals(version))) {
            throw new NotFoundException("code version " + version + " not found");
        }
        synchronized (stateLock) {
            State state = store.tx(em -> em.find(ServiceEntity.class, id).getState());
            if (state != State.RUNNING) {
                if (IN_FLIGHT.contains(state)) {
                    throw new WrongStateException("activate code", state,
                            EnumSet.of(State.INIT, State.RUNNING, State.STOPPED, State.ERROR));
                }
                // No node runs the code: the version is simply the one new nodes will get, if the type takes it.
                ServiceKey key = store.tx(em -> {
                    ServiceEntity s = em.find(ServiceEntity.class, id);
                    return ServiceKey.of(em.find(ApplicationEntity.class, s.getApplicationId()), s);
                });
                if (types.isInstalled(key.type())) {
                    managed(key).manager().checkActivateCode(version);
                }
                code.activate(id, version);
                return service(user, app, svc);
            }
        }
        Transition t = transition(user, app, svc, "activate code", CHANGEABLE, State.ADAPTING,
                "activating " + version, (em, s) -> managed(ServiceKey.of(
                        em.find(ApplicationEntity.class, s.getApplicationId()), s)).manager().checkActivateCode(version));
        inFlight.submit(executor, t.key().serviceDbId(), cancelled -> runActivateCode(t.key(), version));
        return t.info();
    }

    @Override
    public String startupScript(String user, String app, String svc) {
        return store.tx(em -> store.service(em, application(em, user, app), svc).getStartupScript());
    }

    @Override
    public void setStartupScript(String user, String app, String svc, String script) {
        store.tx(em -> {
            ServiceEntity s = store.service(em, application(em, user, app), svc);
            limits.checkStartupScript(script);
            s.setStartupScript(script == null || script.isBlank() ? null : script);
            return null;
        });
    }

    // ---------------------------------------------------------------- volumes

    @Override
    public List<VolumeInfo> volumes(String user, String app, String svc) {
        return store.tx(em -> store.volumes(em, store.service(em, application(em, user, app), svc).getId()).stream()
                .map(VolumeEntity::info).toList());
    }

    @Override
    public ServiceInfo createVolume(String user, String app, String svc, String name, int sizeMb, String node) {
        VolumeKeeper.validate(name, sizeMb);
        if (node == null || node.isBlank()) {
            throw new InvalidInputException("node", "the node to attach the volume to is required");
        }
        // The node may be named by id, database id or VM id; the volume records its node id.
        String nodeId = store.tx(em -> store.node(em, store.service(em, application(em, user, app), svc), node)
                .getNodeId());
        Transition t = transition(user, app, svc, "create volume", CHANGEABLE, State.ADAPTING,
                "creating volume " + name + " (" + sizeMb + " MB) on " + nodeId, (em, s) -> {
                    if (store.volume(em, s.getId(), name).isPresent()) {
                        throw new ConflictException("the service already has a volume named '" + name + "'");
                    }
                    NodeEntity n = store.node(em, s, nodeId);
                    if (n.getStatus() != NodeStatus.RUNNING) {
                        throw new ConflictException("node " + n.getNodeId() + " is " + n.getStatus()
                                + "; volumes attach to running nodes only");
                    }
                    volumes.requireVolumes(n.getCloud());
                    managed(ServiceKey.of(em.find(ApplicationEntity.class, s.getApplicationId()), s)).manager()
                            .checkCreateVolume(name, sizeMb, Store.serviceNode(n));
                });
        inFlight.submit(executor, t.key().serviceDbId(), cancelled -> runCreateVolume(t.key(), name, sizeMb, nodeId));
        return t.info();
    }

    @Override
    public ServiceInfo deleteVolume(String user, String app, String svc, String name) {
        Transition t = transition(user, app, svc, "delete volume", CHANGEABLE, State.ADAPTING,
                "deleting volume " + name, (em, s) -> {
                    if (store.volume(em, s.getId(), name).isEmpty()) {
                        throw new NotFoundException("volume " + name + " not found in service " + s.getName());
                    }
                    managed(ServiceKey.of(em.find(ApplicationEntity.class, s.getApplicationId()), s)).manager()
                            .checkDeleteVolume(name);
                });
        inFlight.submit(executor, t.key().serviceDbId(), cancelled -> runDeleteVolume(t.key(), name));
        return t.info();
    }

    private void runCreateVolume(ServiceKey key, String name, int sizeMb, String nodeId) {
        ManagedService service = null;
        try {
            service = managed(key);
            ServiceNode node = service.nodes().stream().filter(n -> n.id().equals(nodeId)).findFirst()
                    .orElseThrow(() -> new ConflictException("node " + nodeId + " is no longer running"));
            VolumeInfo created = volumes.create(key, node, name, sizeMb);
            service.log().info("created volume " + name + " (" + sizeMb + " MB) on " + nodeId + " at "
                    + created.path());
            settle(key, State.RUNNING, "created volume " + name + " on " + nodeId);
        } catch (Exception e) {
            String why = "creating volume " + name + " failed: " + reason(e);
            logError(service, why, e);
            // Nothing half-made is left and the nodes are untouched, so the service keeps running.
            settle(key, State.RUNNING, why);
        }
    }

    private void runDeleteVolume(ServiceKey key, String name) {
        ManagedService service = null;
        try {
            service = managed(key);
            VolumeEntity volume = store.tx(em -> store.volume(em, key.serviceDbId(), name)).orElseThrow(
                    () -> new NotFoundException("volume " + name + " not found"));
            ServiceNode node = service.nodes().stream().filter(n -> n.id().equals(volume.getNodeId())).findFirst()
                    .orElse(null);
            volumes.delete(volume, node);
            service.log().info("deleted volume " + name + " of " + volume.getNodeId());
            settle(key, State.RUNNING, "deleted volume " + name);
        } catch (Exception e) {
            String why = "deleting volume " + name + " failed: " + reason(e);
            logError(service, why, e);
            settle(key, State.RUNNING, why);
        }
    }

    private long serviceId(String user, String app, String svc) {
        return store.tx(em -> store.service(em, application(em, user, app), svc).getId());
    }

    /**
     * A manager that fails to activate has put its nodes back on the previous version (see
     * {@link ServiceManager#onCodeActivated}), so the previous version stays the active one and the service keeps
     * running: a bad version is refused, nothing is lost.
     */
    private void runActivateCode(ServiceKey key, String version) {
        ManagedService service = null;
        Optional<String> previous = code.list(key.serviceDbId()).stream().filter(CodeVersionInfo::active)
                .map(CodeVersionInfo::id).findFirst();
        try {
            service = managed(key);
            code.activate(key.serviceDbId(), version);
            service.manager().onCodeActivated(version);
            service.log().info("activated " + version);
            settle(key, State.RUNNING, "activated " + version);
        } catch (Exception e) {
            String why = "activating " + version + " failed: " + reason(e);
            logError(service, why, e);
            previous.ifPresent(id -> code.activate(key.serviceDbId(), id));
            settle(key, State.RUNNING, why + previous.map(id -> "; " + id + " stays active").orElse(""));
        }
    }

    // ---------------------------------------------------------------- background work

    private void runStart(ServiceKey key, CloudDriver cloud, java.util.function.BooleanSupplier cancelled) {
        ManagedService service = null;
        try {
            service = managed(key);
            RegisteredType type = types.require(key.type());
            List<String> roles = NodeCounts.expand(type.type().startingNodes());
            List<ServiceNode> nodes = provisioner.provision(key, roles, cloud, type, cancelled);
            credits.nodesStarted(key.owner(), key.applicationId(), key.number(), nodes);
            service.log().info("started " + nodes.size() + " node(s): " + ids(nodes));
            service.manager().onStart(nodes);
            settle(key, State.RUNNING, "started with " + nodes.size() + " node(s)");
        } catch (Exception e) {
            String why = "start failed: " + reason(e);
            logError(service, why, e);
            releaseNodesQuietly(key);
            settle(key, State.ERROR, why);
        }
    }

    private void runStop(ServiceKey key) {
        // A start or change still in flight is cancelled first; it releases what it launched itself, and what it
        // had finished is released below with the rest.
        if (!inFlight.cancelAndAwait(key.serviceDbId(), CANCEL_WAIT)) {
            LOG.warn("the change in flight of service {} did not end within {} s; stopping anyway", key,
                    CANCEL_WAIT.toSeconds());
        }
        int released = releaseService(key, "the service was stopped");
        finish(key, released < 0 ? State.ERROR : State.STOPPED,
                released < 0 ? "stop failed: its nodes could not all be released" : "stopped; released "
                        + released + " node(s)");
    }

    /** Also replaces failed nodes ({@link FailedNodeHandler}); {@code purpose} then starts the reasons. */
    private void runAddNodes(ServiceKey key, Map<String, Integer> counts, CloudDriver cloud, String purpose,
            java.util.function.BooleanSupplier cancelled) {
        ManagedService service = null;
        List<ServiceNode> added = List.of();
        try {
            service = managed(key);
            RegisteredType type = types.require(key.type());
            added = provisioner.provision(key, NodeCounts.expand(counts), cloud, type, cancelled);
            credits.nodesStarted(key.owner(), key.applicationId(), key.number(), added);
            service.manager().onAddNodes(added);
            service.log().info(purpose + "added " + added.size() + " node(s): " + ids(added));
            settle(key, State.RUNNING, purpose + "added " + describe(counts) + " (" + String.join(", ", ids(added))
                    + ")");
        } catch (Exception e) {
            String why = purpose + "adding nodes failed: " + reason(e);
            logError(service, why, e);
            releaseQuietly(key, added);
            // Nothing is lost: the nodes the service had keep running, so it goes back to RUNNING.
            settle(key, State.RUNNING, why + "; the service keeps its other nodes");
        }
    }

    private void runRemoveNodes(ServiceKey key, Map<String, Integer> counts) {
        ManagedService service = null;
        try {
            service = managed(key);
            ServiceManager manager = service.manager();
            List<ServiceNode> current = service.nodes();
            List<ServiceNode> chosen = manager.selectNodesToRemove(counts, current);
            if (chosen.size() != NodeCounts.total(counts) || !current.containsAll(chosen)) {
                throw new IllegalStateException("the manager chose " + ids(chosen) + " to remove " + describe(counts));
            }
            manager.onRemoveNodes(chosen);
            Set<String> ids = Set.copyOf(ids(chosen));
            provisioner.release(store.tx(em -> store.nodes(em, key.serviceDbId()).stream()
                    .filter(n -> ids.contains(n.getNodeId())).toList()));
            service.log().info("removed node(s): " + ids(chosen));
            settle(key, State.RUNNING, "removed " + describe(counts));
        } catch (Exception e) {
            String why = "removing nodes failed: " + reason(e);
            logError(service, why, e);
            // Nothing was released and the manager restored its nodes (see ServiceManager#onRemoveNodes).
            settle(key, State.RUNNING, why + "; the service keeps all its nodes");
        }
    }

    /** Lets the manager stop (if its type is installed) and releases every node; returns how many, or -1. */
    private int releaseService(ServiceKey key, String why) {
        ManagedService service = null;
        if (types.isInstalled(key.type())) {
            try {
                service = managed(key);
                service.manager().onStop();
            } catch (Exception e) {
                logError(service, "the manager failed to stop cleanly (" + why + "): " + reason(e), e);
            }
        }
        forgetManager(key.serviceDbId());
        List<NodeEntity> nodes = store.tx(em -> store.nodes(em, key.serviceDbId()));
        try {
            provisioner.release(nodes);
            if (!nodes.isEmpty()) {
                logFile(key.serviceDbId()).info("released " + nodes.size() + " node(s): " + why);
            }
            store.tx(em -> {
                ServiceEntity s = em.find(ServiceEntity.class, key.serviceDbId());
                if (s == null) {
                    return null;
                }
                s.setUrl(null); // nothing serves any more
                if (s.getState() != State.INIT && s.getState() != State.STOPPED && s.getState() != State.EPILOGUE) {
                    store.changeState(em, s, State.STOPPED, why);
                }
                return null;
            });
            return nodes.size();
        } catch (RuntimeException e) {
            logFile(key.serviceDbId()).error("releasing nodes failed: " + reason(e), e);
            return -1;
        }
    }

    private void releaseNodesQuietly(ServiceKey key) {
        try {
            provisioner.release(store.tx(em -> store.nodes(em, key.serviceDbId())));
        } catch (RuntimeException e) {
            LOG.error("cannot release the nodes of service {}: {}", key, e.getMessage());
        }
    }

    private void releaseQuietly(ServiceKey key, List<ServiceNode> nodes) {
        if (nodes.isEmpty()) {
            return;
        }
        Set<String> ids = Set.copyOf(ids(nodes));
        try {
            provisioner.release(store.tx(em -> store.nodes(em, key.serviceDbId()).stream()
                    .filter(n -> ids.contains(n.getNodeId())).toList()));
        } catch (RuntimeException e) {
            LOG.error("cannot release nodes {} of service {}: {}", ids, key, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The outcome of a checked state change: the service's identity and its new info. */
    private record Transition(ServiceKey key, ServiceInfo info) {
    }

    @FunctionalInterface
    private interface Check {
        void accept(EntityManager em, ServiceEntity service);
    }

    /** Checks the service's type and state, runs the extra check, then moves it to {@code to}, all in one step. */
    private Transition transition(String user, String app, String svc, String action, Set<State> allowed, State to,
            String reason, Check check) {
        synchronized (stateLock) {
            return store.tx(em -> {
                ApplicationEntity a = application(em, user, app);
                ServiceEntity s = store.service(em, a, svc);
                types.require(s.getType());
                if (!allowed.contains(s.getState())) {
                    throw new WrongStateException(action + " " + s.getName(), s.getState(), allowed);
                }
                check.accept(em, s);
                store.changeState(em, s, to, reason);
                return new Transition(ServiceKey.of(a, s), store.info(em, s, true));
            });
        }
    }

    private void requireRunningApplication(EntityManager em, ServiceEntity s) {
        ApplicationEntity a = em.find(ApplicationEntity.class, s.getApplicationId());
        if (a.getState() != State.RUNNING) {
            throw new WrongStateException("start a service of application " + a.getName(), a.getState(),
                    EnumSet.of(State.RUNNING));
        }
    }

    /** The caller's application, or, for an administrator, any application given by id. */
    private ApplicationEntity application(EntityManager em, String user, String app) {
        return store.application(em, user, app, accounts.isAdmin(user));
    }

    private String owner(String user, String app) {
        return store.tx(em -> application(em, user, app).getOwnerId());
    }

    private String serviceType(String user, String app, String svc) {
        return store.tx(em -> store.service(em, application(em, user, app), svc).getType());
    }

    /**
     * Ends a background step in a settled state; a service removed meanwhile is left alone, and so is one a stop took
     * over (EPILOGUE): the stop settles it.
     */
    private void settle(ServiceKey key, State state, String reason) {
        store.tx(em -> {
            ServiceEntity s = em.find(ServiceEntity.class, key.serviceDbId());
            if (s != null && s.getState() != State.EPILOGUE) {
                store.changeState(em, s, state, reason);
            }
            return null;
        });
    }

    /** Ends a stop: the one background step that settles a service from EPILOGUE. */
    private void finish(ServiceKey key, State state, String reason) {
        store.tx(em -> {
            ServiceEntity s = em.find(ServiceEntity.class, key.serviceDbId());
            if (s != null) {
                store.changeState(em, s, state, reason);
            }
            return null;
        });
    }

    /** The live manager of a service, created on first use (and again after its type was re-installed). */
    private ManagedService managed(ServiceKey key) {
        return live.computeIfAbsent(key.serviceDbId(), id -> {
            RegisteredType type = types.require(key.type());
            ManagedService service = new ManagedService(key, store,
                    new PluginAgentCalls(agentClient, key.type(), executor), logFile(id), code.repository(id));
            service.attach(type.type().createManager(service));
            return service;
        });
    }

    private void forgetManagersOf(String type) {
        live.values().removeIf(service -> {
            if (service.key().type().equals(type)) {
                service.dispose();
                return true;
            }
            return false;
        });
    }

    private void forgetManager(long serviceDbId) {
        ManagedService service = live.remove(serviceDbId);
        if (service != null) {
            service.dispose();
        }
    }

    private ServiceLogFile logFile(long serviceDbId) {
        return new ServiceLogFile(dataDir.resolve("services").resolve(String.valueOf(serviceDbId))
                .resolve("manager.log"));
    }

    private void deleteServiceFiles(long serviceDbId) {
        Path dir = dataDir.resolve("services").resolve(String.valueOf(serviceDbId));
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.getMessage());
        }
    }

    private void logError(ManagedService service, String message, Exception e) {
        if (service != null) {
            service.log().error(message, e);
        }
        LOG.warn(message, e);
    }

    private static List<String> ids(List<ServiceNode> nodes) {
        return nodes.stream().map(ServiceNode::id).toList();
    }

    private static String describe(Map<String, Integer> counts) {
        return "nodes " + counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .reduce((a, b) -> a + " " + b).orElse("");
    }

    private static String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private static NodeProvisioner.Settings settings(DirectorConfig config) {
        String archive = config.agentArchive().isBlank()
                ? Paths.get(System.getProperty("karaf.home", "."), "agent", "conpaas-agent.tar.gz").toString()
                : config.agentArchive();
        URI archiveUri = archive.contains(":/") ? URI.create(archive) : Paths.get(archive).toUri();
        return new NodeProvisioner.Settings(config.deploymentName(), archiveUri, config.agentPort(),
                Duration.ofSeconds(config.nodeStartTimeoutSeconds()));
    }

    private static Path dataDir(DirectorConfig config) {
        return config.dataDir().isBlank()
                ? Paths.get(System.getProperty("karaf.data", "data"), "conpaas")
                : Paths.get(config.dataDir());
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
