package org.conpaas.core.internal.director;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.conpaas.api.cloud.NodeSize;
import org.conpaas.api.StartingException;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.ApplicationInfo;
import org.conpaas.api.model.Charge;
import org.conpaas.api.model.CloudInfo;
import org.conpaas.api.model.CodeVersionInfo;
import org.conpaas.api.model.NewUser;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.ServiceTypeInfo;
import org.conpaas.api.model.StateChange;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.model.UserInfo;
import org.conpaas.api.model.VersionInfo;
import org.conpaas.api.model.VolumeInfo;
import org.conpaas.core.internal.accounts.Accounts;
import org.conpaas.core.internal.agent.AgentClient;
import org.conpaas.core.internal.code.CodeVersions;
import org.conpaas.core.internal.code.NodeCode;
import org.conpaas.core.internal.credit.Credits;
import org.conpaas.core.internal.credit.ServiceStopper;
import org.conpaas.core.internal.persistence.Store;
import org.conpaas.core.internal.bootstrap.NodeUserData;
import org.conpaas.core.internal.security.Pki;
import org.conpaas.core.internal.security.UserCertificates;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The director façade: the {@link Director} service that REST and the shell adapt. It wires the parts and passes
 * each call to the one that owns it: {@link ApplicationOperations}, {@link ServiceLifecycle} (services and nodes),
 * {@link ServiceQueries}, {@link ServiceOperationCalls}, {@link CodeOperations}, {@link VolumeOperations} and
 * {@link AccountOperations}; every state change goes through the {@link OperationEngine}. Until {@link Recovery}
 * has settled what the previous run left in flight, every call answers {@link StartingException}.
 */
@Component(service = {Director.class, ServiceStopper.class}, immediate = true,
        configurationPid = "org.conpaas.director")
@Designate(ocd = DirectorConfig.class)
public class DirectorService implements Director, ServiceStopper {
    private static final Logger LOG = LoggerFactory.getLogger(DirectorService.class);

    private final Store store;
    private final AgentClient agentClient;
    private final FailedNodeHandler failedNodes;
    private final ExecutorService executor;
    private final ScheduledExecutorService timer;
    private final VersionInfo version;
    private final ServiceTypeRegistry types;
    private final CloudRegistry clouds;
    private final NodeProvisioner provisioner;
    private final ServiceManagers managers;
    private final OperationEngine engine;
    private final SettleEvents settleEvents;
    private final Lookup lookup;
    private final ApplicationOperations applications;
    private final ServiceLifecycle lifecycle;
    private final ServiceQueries queries;
    private final ServiceOperationCalls operations;
    private final CodeOperations codeOperations;
    private final VolumeOperations volumeOperations;
    private final AccountOperations accountOperations;
    private final AtomicReference<Registration> registration;
    private final AtomicReference<InputLimits> limits;
    private NodeHealthMonitor.Settings nodeChecks;
    private NodeHealthMonitor healthMonitor;
    private volatile boolean ready;
    private boolean deactivated;

    /** The self-registration settings of the director's configuration. */
    public record Registration(boolean open, long maxStartingCredit) {
    }

    @Activate
    public DirectorService(@Reference Store store, @Reference ServiceTypeRegistry types,
            @Reference CloudRegistry clouds, @Reference Pki pki, @Reference AgentClient agentClient,
            @Reference Accounts accounts, @Reference Credits credits, @Reference UserCertificates certificates,
            @Reference CodeVersions code, @Reference NodeUserData userData, DirectorConfig config,
            BundleContext context) {
        this(store, types, clouds, pki, agentClient, accounts, credits, certificates, code,
                settings(config, userData),
                new Registration(config.selfRegistration(), config.maxStartingCredit()), dataDir(config),
                new VersionInfo(context.getBundle().getVersion().toString(), config.deploymentName()),
                NodeHealthMonitor.Settings.of(config), InputLimits.of(config));
        startRecovery();
    }

    public DirectorService(Store store, ServiceTypeRegistry types, CloudRegistry clouds, Pki pki,
            AgentClient agentClient, Accounts accounts, Credits credits, UserCertificates certificates,
            CodeVersions code, NodeProvisioner.Settings settings, Registration registration, Path dataDir,
            VersionInfo version) {
        this(store, types, clouds, pki, agentClient, accounts, credits, certificates, code, settings, registration,
                dataDir, version, NodeHealthMonitor.Settings.DEFAULT, InputLimits.DEFAULTS);
    }

    /** Ready at once (tests run {@link #recover()} themselves when they need it). */
    DirectorService(Store store, ServiceTypeRegistry types, CloudRegistry clouds, Pki pki,
            AgentClient agentClient, Accounts accounts, Credits credits, UserCertificates certificates,
            CodeVersions code, NodeProvisioner.Settings settings, Registration registration, Path dataDir,
            VersionInfo version, NodeHealthMonitor.Settings nodeChecks, InputLimits limits) {
        this.store = store;
        this.types = types;
        this.clouds = clouds;
        this.agentClient = agentClient;
        this.version = version;
        this.registration = new AtomicReference<>(registration);
        this.limits = new AtomicReference<>(limits);
        this.nodeChecks = nodeChecks;
        this.executor = Executors.newCachedThreadPool(daemonThreads("conpaas-director-"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("conpaas-settle-timer-"));
        this.settleEvents = new SettleEvents(timer);
        this.engine = new OperationEngine(store, executor, settleEvents);
        this.lookup = new Lookup(store, accounts);
        VolumeKeeper volumes = new VolumeKeeper(store, clouds, agentClient, settings.deploymentName());
        NodeCode nodeCode = new NodeCode(store, agentClient, code);
        this.provisioner = new NodeProvisioner(store, clouds, pki, agentClient, executor, settings, volumes,
                nodeCode);
        this.managers = new ServiceManagers(store, types, agentClient, code, executor, dataDir, clouds);
        NodeRelease release = new NodeRelease(store, types, managers, provisioner);
        this.queries = new ServiceQueries(store, lookup, types, agentClient, managers);
        this.lifecycle = new ServiceLifecycle(store, lookup, engine, types, clouds, credits, code, managers,
                provisioner, release, this.limits::get);
        this.applications = new ApplicationOperations(store, lookup, engine, release, managers);
        this.operations = new ServiceOperationCalls(lookup, engine, types, managers, executor);
        this.codeOperations = new CodeOperations(store, lookup, engine, types, code, nodeCode, managers, queries,
                this.limits::get);
        this.volumeOperations = new VolumeOperations(store, lookup, engine, managers, volumes, lifecycle);
        this.accountOperations = new AccountOperations(store, accounts, credits, certificates, this.registration::get,
                lifecycle);
        this.failedNodes = new FailedNodeHandler(store, clouds, types, credits, engine, managers::managed,
                (key, roles, cloud, purpose, cancelled) -> lifecycle.runAddNodes(key, roles, cloud, NodeSize.DEFAULT,
                        purpose, cancelled));
        this.healthMonitor = new NodeHealthMonitor(store, agentClient, failedNodes, nodeChecks);
        this.ready = true;
    }

    /**
     * Applies a changed configuration without a restart: registration, input bounds and node checks take effect at
     * once. The deployment name and the data folder are fixed for a director's life (they name machines and hold
     * its files), so their changes wait for the next start, as the configuration's descriptions say.
     */
    @Modified
    synchronized void modified(DirectorConfig config) {
        registration.set(new Registration(config.selfRegistration(), config.maxStartingCredit()));
        limits.set(InputLimits.of(config));
        NodeHealthMonitor.Settings checks = NodeHealthMonitor.Settings.of(config);
        if (!checks.equals(nodeChecks)) {
            nodeChecks = checks;
            healthMonitor.stop();
            healthMonitor = new NodeHealthMonitor(store, agentClient, failedNodes, checks);
            if (ready) {
                healthMonitor.start();
            }
        }
        LOG.info("director configuration applied");
    }

    @Deactivate
    public synchronized void deactivate() {
        // In-flight work is cut short here; recover() settles it at the next start.
        deactivated = true;
        healthMonitor.stop();
        executor.shutdownNow();
        settleEvents.completeAll();
        timer.shutdownNow();
        managers.disposeAll();
    }

    /** Recovery runs before any request is taken: meanwhile every call answers "starting" (REST: 503). */
    final void startRecovery() {
        ready = false;
        Thread recovery = new Thread(this::recoverThenServe, "conpaas-director-recovery");
        recovery.setDaemon(true);
        recovery.start();
    }

    private void recoverThenServe() {
        recover();
        synchronized (this) {
            if (deactivated) {
                return;
            }
            ready = true;
            // After recovery: nodes that did not survive the restart are settled there, not declared twice.
            healthMonitor.start();
        }
        LOG.info("the director is ready");
    }

    /** Settles what a previous run left in flight and re-attaches the nodes whose agents still answer. */
    public void recover() {
        new Recovery(store, clouds, types, agentClient, provisioner, failedNodes).run();
    }

    /** The node failure detection (tests run its rounds directly). */
    synchronized NodeHealthMonitor healthMonitor() {
        return healthMonitor;
    }

    /** Whether recovery has ended and calls are taken. */
    public boolean ready() {
        return ready;
    }

    private void requireReady() {
        if (!ready) {
            throw new StartingException();
        }
    }

    // ---------------------------------------------------------------- platform

    @Override
    public VersionInfo version() {
        requireReady();
        return version;
    }

    @Override
    public List<ServiceTypeInfo> serviceTypes() {
        requireReady();
        return types.all().stream().map(RegisteredType::info).toList();
    }

    @Override
    public List<CloudInfo> clouds() {
        requireReady();
        return clouds.all();
    }

    @Override
    public List<NodeInfo> resources(String user) {
        requireReady();
        return queries.resources(user);
    }

    // ---------------------------------------------------------------- applications

    @Override
    public ApplicationInfo createApplication(String user, String name) {
        requireReady();
        return applications.create(user, name);
    }

    @Override
    public List<ApplicationInfo> applications(String user) {
        requireReady();
        return applications.list(user);
    }

    @Override
    public ApplicationInfo application(String user, String app) {
        requireReady();
        return applications.get(user, app);
    }

    @Override
    public ApplicationInfo renameApplication(String user, String app, String newName) {
        requireReady();
        return applications.rename(user, app, newName);
    }

    @Override
    public ApplicationInfo startApplication(String user, String app) {
        requireReady();
        return applications.start(user, app);
    }

    @Override
    public ApplicationInfo stopApplication(String user, String app) {
        requireReady();
        return applications.stop(user, app);
    }

    @Override
    public void deleteApplication(String user, String app) {
        requireReady();
        applications.delete(user, app);
    }

    // ---------------------------------------------------------------- services and nodes

    @Override
    public ServiceInfo addService(String user, String app, String type, String name) {
        requireReady();
        return lifecycle.add(user, app, type, name);
    }

    @Override
    public List<ServiceInfo> services(String user, String app) {
        requireReady();
        return queries.services(user, app);
    }

    @Override
    public ServiceInfo service(String user, String app, String svc) {
        requireReady();
        return queries.service(user, app, svc);
    }

    @Override
    public ServiceInfo renameService(String user, String app, String svc, String newName) {
        requireReady();
        return lifecycle.rename(user, app, svc, newName);
    }

    @Override
    public ServiceInfo setReplaceFailedNodes(String user, String app, String svc, boolean replace) {
        requireReady();
        return lifecycle.setReplaceFailedNodes(user, app, svc, replace);
    }

    @Override
    public void removeService(String user, String app, String svc) {
        requireReady();
        lifecycle.remove(user, app, svc);
    }

    @Override
    public ServiceInfo startService(String user, String app, String svc, String cloud) {
        requireReady();
        return lifecycle.start(user, app, svc, cloud);
    }

    @Override
    public ServiceInfo stopService(String user, String app, String svc) {
        requireReady();
        return lifecycle.stop(user, app, svc);
    }

    @Override
    public ServiceInfo addNodes(String user, String app, String svc, Map<String, Integer> roles, String cloud) {
        return addNodes(user, app, svc, roles, cloud, NodeSize.DEFAULT);
    }

    @Override
    public ServiceInfo addNodes(String user, String app, String svc, Map<String, Integer> roles, String cloud,
            NodeSize size) {
        requireReady();
        return lifecycle.addNodes(user, app, svc, roles, cloud, size);
    }

    @Override
    public ServiceInfo removeNodes(String user, String app, String svc, Map<String, Integer> roles) {
        requireReady();
        return lifecycle.removeNodes(user, app, svc, roles);
    }

    @Override
    public ServiceInfo removeChosenNodes(String user, String app, String svc, List<String> nodeIds) {
        requireReady();
        return lifecycle.removeChosenNodes(user, app, svc, nodeIds);
    }

    @Override
    public CompletionStage<ServiceInfo> whenSettled(String user, String app, String svc, Duration timeout) {
        requireReady();
        long id = lookup.service(user, app, svc).serviceDbId(); // an unknown service fails here, at once
        return engine.whenSettled(id, timeout, () -> queries.service(id));
    }

    @Override
    public List<NodeInfo> nodes(String user, String app, String svc) {
        requireReady();
        return queries.nodes(user, app, svc);
    }

    @Override
    public NodeInfo node(String user, String app, String svc, String node) {
        requireReady();
        return queries.node(user, app, svc, node);
    }

    @Override
    public String nodeLog(String user, String app, String svc, String node, String file, int tail) {
        requireReady();
        return queries.nodeLog(user, app, svc, node, file, tail);
    }

    @Override
    public List<StateChange> history(String user, String app, String svc) {
        requireReady();
        return queries.history(user, app, svc);
    }

    @Override
    public String managerLog(String user, String app, String svc, int tail) {
        requireReady();
        return queries.managerLog(user, app, svc, tail);
    }

    @Override
    public List<OperationDescriptor> operations(String user, String app, String svc) {
        requireReady();
        return operations.list(user, app, svc);
    }

    @Override
    public Object invoke(String user, String app, String svc, String operation, Map<String, Object> params,
            Map<String, UploadedFile> files) {
        requireReady();
        return operations.invoke(user, app, svc, operation, params, files);
    }

    // ---------------------------------------------------------------- accounts and credit

    @Override
    public UserInfo createUser(String caller, NewUser user) {
        requireReady();
        return accountOperations.create(caller, user);
    }

    @Override
    public UserInfo registerUser(NewUser user) {
        requireReady();
        return accountOperations.register(user);
    }

    @Override
    public List<UserInfo> users(String caller) {
        requireReady();
        return accountOperations.list(caller);
    }

    @Override
    public UserInfo user(String caller, String username) {
        requireReady();
        return accountOperations.get(caller, username);
    }

    @Override
    public UserInfo addCredit(String caller, String username, long delta) {
        requireReady();
        return accountOperations.addCredit(caller, username, delta);
    }

    @Override
    public void changePassword(String caller, String oldPassword, String newPassword) {
        requireReady();
        accountOperations.changePassword(caller, oldPassword, newPassword);
    }

    @Override
    public void deleteUser(String caller, String username) {
        requireReady();
        accountOperations.delete(caller, username);
    }

    @Override
    public List<Charge> charges(String caller, String username) {
        requireReady();
        return accountOperations.charges(caller, username);
    }

    @Override
    public byte[] userCertificate(String caller) {
        requireReady();
        return accountOperations.certificate(caller);
    }

    /** Credit exhausted (or user deleted): release every node of the user; services and data stay. */
    @Override
    public void stopAllServicesOf(String username, String reason) {
        if (!ready) {
            // Recovery owns the services until it ends; the next charging round stops them.
            LOG.info("not stopping the services of {} ({}) yet: the director is starting", username, reason);
            return;
        }
        lifecycle.stopAllOf(username, reason);
    }

    // ---------------------------------------------------------------- code versions and startup scripts

    @Override
    public CodeVersionInfo uploadCode(String user, String app, String svc, UploadedFile archive, String description) {
        requireReady();
        return codeOperations.upload(user, app, svc, archive, description);
    }

    @Override
    public List<CodeVersionInfo> codeVersions(String user, String app, String svc) {
        requireReady();
        return codeOperations.list(user, app, svc);
    }

    @Override
    public UploadedFile downloadCode(String user, String app, String svc, String version) {
        requireReady();
        return codeOperations.download(user, app, svc, version);
    }

    @Override
    public void deleteCode(String user, String app, String svc, String version) {
        requireReady();
        codeOperations.delete(user, app, svc, version);
    }

    @Override
    public ServiceInfo activateCode(String user, String app, String svc, String version) {
        requireReady();
        return codeOperations.activate(user, app, svc, version);
    }

    @Override
    public String startupScript(String user, String app, String svc) {
        requireReady();
        return codeOperations.startupScript(user, app, svc);
    }

    @Override
    public void setStartupScript(String user, String app, String svc, String script) {
        requireReady();
        codeOperations.setStartupScript(user, app, svc, script);
    }

    // ---------------------------------------------------------------- volumes

    @Override
    public List<VolumeInfo> volumes(String user, String app, String svc) {
        requireReady();
        return volumeOperations.list(user, app, svc);
    }

    @Override
    public ServiceInfo createVolume(String user, String app, String svc, String name, int sizeMb, String node) {
        requireReady();
        return volumeOperations.create(user, app, svc, name, sizeMb, node);
    }

    @Override
    public ServiceInfo deleteVolume(String user, String app, String svc, String name) {
        requireReady();
        return volumeOperations.delete(user, app, svc, name);
    }

    // ---------------------------------------------------------------- configuration

    private static NodeProvisioner.Settings settings(DirectorConfig config, NodeUserData userData) {
        return new NodeProvisioner.Settings(config.deploymentName(), userData,
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
