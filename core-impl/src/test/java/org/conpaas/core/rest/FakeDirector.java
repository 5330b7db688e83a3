package org.conpaas.core.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.conpaas.api.AgentException;
import org.conpaas.api.CloudException;
import org.conpaas.api.ConflictException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.State;
import org.conpaas.api.TypeNotInstalledException;
import org.conpaas.api.WrongStateException;
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
import org.conpaas.api.model.ParameterDescriptor;
import org.conpaas.api.model.ParameterType;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.ServiceTypeInfo;
import org.conpaas.api.model.StateChange;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.model.VersionInfo;
import org.conpaas.api.model.VolumeInfo;

/**
 * An in-memory director for adapter tests. Long operations move to a transient state and settle after a
 * number of {@link #service} polls, when a test calls {@link #settle}, or, while {@link #settleWhenWaitedFor} is
 * true, as soon as someone waits for them. {@link #whenSettled} keeps the real contract: its stage completes on
 * another thread (the fake's "engine") when the service settles, or with the state of the moment when the timeout
 * passes, so waiting can be observed.
 */
public class FakeDirector implements Director {

    public static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    public final List<String> users = new ArrayList<>();
    /** The files an operation was handed, with their content read while the call ran. */
    public final List<UploadedFile> receivedFiles = new ArrayList<>();
    public final List<Map<String, Object>> receivedParams = new ArrayList<>();
    /** How many polls of {@link #service} a transient state lasts. */
    public int pollsUntilSettled = 2;
    /** Whether a service settles as soon as {@link #whenSettled} waits for it (a quick engine). */
    public volatile boolean settleWhenWaitedFor = true;

    /** Completes the stages of {@link #whenSettled}, as the real director's engine does when it settles a service. */
    private final ScheduledExecutorService engine = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "fake-director-engine");
        thread.setDaemon(true);
        return thread;
    });

    private final Map<Long, App> apps = new TreeMap<>();
    private long nextAppId = 1;

    private static final class App {
        long id;
        String name;
        String owner;
        State state = State.INIT;
        final Map<Integer, Svc> services = new TreeMap<>();
        int nextServiceId = 1;
    }

    private static final class Svc {
        int id;
        String name;
        String type;
        State state = State.INIT;
        State target;
        int pollsLeft;
        String cloud = "local";
        boolean replaceFailedNodes = true;
        final Map<String, Integer> nodes = new TreeMap<>();
        final List<StateChange> history = new ArrayList<>();
        final List<NodeInfo> nodeInfos = new ArrayList<>();
        final List<CompletableFuture<ServiceInfo>> waiting = new ArrayList<>();
    }

    @Override
    public VersionInfo version() {
        return new VersionInfo("0.1.0-test", "unit");
    }

    @Override
    public List<ServiceTypeInfo> serviceTypes() {
        return List.of(new ServiceTypeInfo("helloworld", "says hello", List.of("backend", "proxy"), "backend",
                Map.of("backend", 1), operations(), "1.0.0"));
    }

    static List<OperationDescriptor> operations() {
        return List.of(
                new OperationDescriptor("get-message", "reads the message", List.of(), true),
                new OperationDescriptor("set-message", "sets the message", List.of(
                        ParameterDescriptor.required("message", ParameterType.STRING, "the text"),
                        ParameterDescriptor.optional("repeat", ParameterType.INTEGER, "how often"),
                        ParameterDescriptor.optional("loud", ParameterType.BOOLEAN, "shout")), false),
                new OperationDescriptor("upload", "takes a file", List.of(
                        ParameterDescriptor.required("file", ParameterType.FILE, "the file"),
                        ParameterDescriptor.optional("note", ParameterType.STRING, "a note")), false));
    }

    @Override
    public List<CloudInfo> clouds() {
        return List.of(new CloudInfo("local", "local", Set.of()));
    }

    @Override
    public synchronized List<NodeInfo> resources(String user) {
        users.add(user);
        List<NodeInfo> all = new ArrayList<>();
        apps.values().stream().filter(a -> a.owner.equals(user))
                .forEach(a -> a.services.values().forEach(s -> all.addAll(s.nodeInfos)));
        return all;
    }

    @Override
    public synchronized ApplicationInfo createApplication(String user, String name) {
        users.add(user);
        if (apps.values().stream().anyMatch(a -> a.owner.equals(user) && a.name.equals(name))) {
            throw new ConflictException("an application named '" + name + "' exists already");
        }
        App app = new App();
        app.id = nextAppId++;
        app.name = name;
        app.owner = user;
        apps.put(app.id, app);
        return info(app);
    }

    private static ApplicationInfo info(App app) {
        return new ApplicationInfo(app.id, app.name, app.owner, app.state, T0);
    }

    private ServiceInfo info(App app, Svc svc) {
        return new ServiceInfo(app.id, svc.id, svc.name, svc.type, svc.state, null, true, svc.cloud, T0,
                Map.copyOf(svc.nodes), null, svc.replaceFailedNodes);
    }

    private App app(String user, String ref) {
        users.add(user);
        for (App app : apps.values()) {
            if (app.owner.equals(user) && (app.name.equals(ref) || String.valueOf(app.id).equals(ref))) {
                return app;
            }
        }
        throw new NotFoundException("no application '" + ref + "'");
    }

    private static Svc svc(App app, String ref) {
        for (Svc svc : app.services.values()) {
            if (svc.name.equals(ref) || String.valueOf(svc.id).equals(ref)) {
                return svc;
            }
        }
        throw new NotFoundException("no service '" + ref + "' in application " + app.name);
    }

    @Override
    public synchronized List<ApplicationInfo> applications(String user) {
        users.add(user);
        return apps.values().stream().filter(a -> a.owner.equals(user)).map(FakeDirector::info).toList();
    }

    @Override
    public synchronized ApplicationInfo application(String user, String app) {
        return info(app(user, app));
    }

    @Override
    public synchronized ApplicationInfo renameApplication(String user, String app, String newName) {
        App a = app(user, app);
        a.name = newName;
        return info(a);
    }

    @Override
    public synchronized ApplicationInfo startApplication(String user, String app) {
        App a = app(user, app);
        if (a.state == State.RUNNING) {
            throw new WrongStateException("start the application", a.state, EnumSet.of(State.INIT, State.STOPPED));
        }
        a.state = State.RUNNING;
        return info(a);
    }

    @Override
    public synchronized ApplicationInfo stopApplication(String user, String app) {
        App a = app(user, app);
        a.state = State.STOPPED;
        return info(a);
    }

    @Override
    public synchronized void deleteApplication(String user, String app) {
        apps.remove(app(user, app).id);
    }

    @Override
    public synchronized ServiceInfo addService(String user, String app, String type, String name) {
        App a = app(user, app);
        if (!type.equals("helloworld")) {
            throw new TypeNotInstalledException(type);
        }
        Svc svc = new Svc();
        svc.id = a.nextServiceId++;
        svc.name = name == null ? "New " + type + " service" : name;
        svc.type = type;
        svc.history.add(new StateChange(T0, State.INIT, "created"));
        a.services.put(svc.id, svc);
        return info(a, svc);
    }

    @Override
    public synchronized List<ServiceInfo> services(String user, String app) {
        App a = app(user, app);
        return a.services.values().stream().map(s -> info(a, s)).toList();
    }

    @Override
    public synchronized ServiceInfo service(String user, String app, String svc) {
        App a = app(user, app);
        Svc s = svc(a, svc);
        if (s.target != null && --s.pollsLeft <= 0) {
            settle(a, s);
        }
        return info(a, s);
    }

    /** Settles the service's transient state now, as the engine would when the operation ends. */
    public synchronized void settle(String user, String app, String svc) {
        App a = app(user, app);
        settle(a, svc(a, svc));
    }

    /** How many {@link #whenSettled} stages are waiting for their service. */
    public synchronized int waiting() {
        return apps.values().stream().flatMap(a -> a.services.values().stream()).mapToInt(s -> s.waiting.size())
                .sum();
    }

    private void settle(App a, Svc s) {
        if (s.target == null) {
            return;
        }
        move(s, s.target, "settled");
        s.target = null;
        ServiceInfo settled = info(a, s);
        List<CompletableFuture<ServiceInfo>> waiters = List.copyOf(s.waiting);
        s.waiting.clear();
        engine.execute(() -> waiters.forEach(w -> w.complete(settled)));
    }

    private static void move(Svc s, State state, String reason) {
        s.state = state;
        s.history.add(new StateChange(T0, state, reason));
    }

    @Override
    public synchronized ServiceInfo renameService(String user, String app, String svc, String newName) {
        App a = app(user, app);
        Svc s = svc(a, svc);
        s.name = newName;
        return info(a, s);
    }

    @Override
    public synchronized ServiceInfo setReplaceFailedNodes(String user, String app, String svc, boolean replace) {
        App a = app(user, app);
        Svc s = svc(a, svc);
        s.replaceFailedNodes = replace;
        return info(a, s);
    }

    @Override
    public synchronized void removeService(String user, String app, String svc) {
        App a = app(user, app);
        a.services.remove(svc(a, svc).id);
    }

    @Override
    public synchronized ServiceInfo startService(String user, String app, String svc, String cloud) {
        App a = app(user, app);
        Svc s = svc(a, svc);
        if (s.state != State.INIT && s.state != State.STOPPED) {
            throw new WrongStateException("start the service", s.state, EnumSet.of(State.INIT, State.STOPPED));
        }
        if ("broken-cloud".equals(cloud)) {
            throw new CloudException("the cloud refused to launch nodes: quota exceeded");
        }
        s.cloud = cloud == null ? "local" : cloud;
        s.nodes.put("backend", 1);
        s.nodeInfos.add(new NodeInfo("n1", a.id, s.id, "backend", s.cloud, "vm-1", "127.0.1.1", 5555,
                NodeStatus.RUNNING, null, T0, "code-default"));
        startTransition(s, State.PROLOGUE, State.RUNNING);
        return info(a, s);
    }

    private void startTransition(Svc s, State transient_, State target) {
        move(s, transient_, "requested");
        s.target = target;
        s.pollsLeft = pollsUntilSettled;
    }

    @Override
    public synchronized ServiceInfo stopService(String user, String app, String svc) {
        App a = app(user, app);
        Svc s = svc(a, svc);
        if (s.state != State.RUNNING) {
            throw new WrongStateException("stop the service", s.state, EnumSet.of(State.RUNNING));
        }
        s.nodes.clear();
        s.nodeInfos.clear();
        startTransition(s, State.EPILOGUE, State.STOPPED);
        return info(a, s);
    }

    @Override
    public synchronized ServiceInfo addNodes(String user, String app, String svc, Map<String, Integer> roles,
            String cloud) {
        App a = app(user, app);
        Svc s = svc(a, svc);
        if (s.state != State.RUNNING) {
            throw new WrongStateException("add nodes", s.state, EnumSet.of(State.RUNNING));
        }
        checkRoles(roles);
        roles.forEach((role, count) -> s.nodes.merge(role, count, Integer::sum));
        startTransition(s, State.ADAPTING, State.RUNNING);
        return info(a, s);
    }

    private static void checkRoles(Map<String, Integer> roles) {
        for (var entry : roles.entrySet()) {
            if (!List.of("backend", "proxy").contains(entry.getKey())) {
                throw new InvalidInputException("roles", "unknown role " + entry.getKey());
            }
        }
    }

    @Override
    public synchronized ServiceInfo removeNodes(String user, String app, String svc, Map<String, Integer> roles) {
        App a = app(user, app);
        Svc s = svc(a, svc);
        checkRoles(roles);
        roles.forEach((role, count) -> s.nodes.merge(role, -count, Integer::sum));
        startTransition(s, State.ADAPTING, State.RUNNING);
        return info(a, s);
    }

    @Override
    public synchronized ServiceInfo removeChosenNodes(String user, String app, String svc, List<String> nodeIds) {
        App a = app(user, app);
        Svc s = svc(a, svc);
        List<NodeInfo> chosen = nodeIds.stream().map(id -> s.nodeInfos.stream().filter(n -> n.id().equals(id))
                .findFirst().orElseThrow(() -> new NotFoundException("no node " + id))).toList();
        chosen.forEach(n -> s.nodes.merge(n.role(), -1, Integer::sum));
        s.nodeInfos.removeAll(chosen);
        startTransition(s, State.ADAPTING, State.RUNNING);
        return info(a, s);
    }

    @Override
    public synchronized CompletionStage<ServiceInfo> whenSettled(String user, String app, String svc,
            Duration timeout) {
        App a = app(user, app);
        Svc s = svc(a, svc); // an unknown service fails at once
        CompletableFuture<ServiceInfo> settled = new CompletableFuture<>();
        if (s.target == null || timeout.isZero()) {
            ServiceInfo now = info(a, s);
            engine.execute(() -> settled.complete(now));
            return settled;
        }
        s.waiting.add(settled);
        if (settleWhenWaitedFor) {
            engine.execute(() -> settle(user, app, svc));
        }
        engine.schedule(() -> timedOut(a, s, settled), timeout.toMillis(), TimeUnit.MILLISECONDS);
        return settled;
    }

    private void timedOut(App a, Svc s, CompletableFuture<ServiceInfo> waiter) {
        ServiceInfo now;
        synchronized (this) {
            if (!s.waiting.remove(waiter)) {
                return; // settled before
            }
            now = info(a, s);
        }
        waiter.complete(now);
    }

    @Override
    public synchronized List<NodeInfo> nodes(String user, String app, String svc) {
        return List.copyOf(svc(app(user, app), svc).nodeInfos);
    }

    @Override
    public synchronized NodeInfo node(String user, String app, String svc, String node) {
        return svc(app(user, app), svc).nodeInfos.stream().filter(n -> n.id().equals(node)).findFirst()
                .orElseThrow(() -> new NotFoundException("no node " + node));
    }

    @Override
    public synchronized String nodeLog(String user, String app, String svc, String node, String file, int tail) {
        node(user, app, svc, node);
        if ("unreachable.log".equals(file)) {
            throw new AgentException(node, "agent of node " + node + " did not answer within 10 s");
        }
        return tail(List.of("log " + (file == null ? "agent" : file), "line 2", "line 3"), tail);
    }

    private static String tail(List<String> lines, int tail) {
        List<String> kept = tail == 0 || tail >= lines.size() ? lines : lines.subList(lines.size() - tail, lines.size());
        return String.join("\n", kept) + "\n";
    }

    @Override
    public synchronized List<StateChange> history(String user, String app, String svc) {
        return List.copyOf(svc(app(user, app), svc).history);
    }

    @Override
    public synchronized String managerLog(String user, String app, String svc, int tail) {
        svc(app(user, app), svc);
        return tail(List.of("manager started", "nodes ready", "service running"), tail);
    }

    @Override
    public synchronized List<OperationDescriptor> operations(String user, String app, String svc) {
        svc(app(user, app), svc);
        return operations();
    }

    @Override
    public synchronized Object invoke(String user, String app, String svc, String operation,
            Map<String, Object> params, Map<String, UploadedFile> files) {
        svc(app(user, app), svc);
        receivedParams.add(params);
        switch (operation) {
            case "get-message":
                return "hello";
            case "set-message":
                if (!(params.get("message") instanceof String)) {
                    throw new InvalidInputException("message", "message is required and must be text");
                }
                Map<String, Object> result = new LinkedHashMap<>(params);
                result.put("stored", true);
                return result;
            case "upload":
                UploadedFile file = files.get("file");
                if (file == null) {
                    throw new InvalidInputException("file", "file is required");
                }
                receivedFiles.add(file);
                try {
                    return Map.of("fileName", file.fileName(), "content", Files.readString(file.path()),
                            "note", String.valueOf(params.get("note")));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            case "fail":
                throw new IllegalStateException("secret internal detail");
            default:
                throw new NotFoundException("service has no operation " + operation);
        }
    }

    // ---- accounts: a small in-memory user table, enough for the REST adapter's tests

    final Map<String, UserInfo> accounts = new TreeMap<>(Map.of("admin", new UserInfo("admin", "admin@example.org",
            null, null, null, 50, Set.of(UserInfo.ROLE_ADMIN), Instant.EPOCH)));
    final List<Charge> ledger = new ArrayList<>();

    @Override
    public UserInfo createUser(String caller, NewUser user) {
        if (accounts.containsKey(user.username())) {
            throw new ConflictException("username " + user.username() + " is taken");
        }
        UserInfo created = new UserInfo(user.username(), user.email(), user.firstName(), user.lastName(),
                user.affiliation(), user.credit() == null ? 50 : user.credit(), Set.of(UserInfo.ROLE_USER),
                Instant.now());
        accounts.put(created.username(), created);
        return created;
    }

    @Override
    public UserInfo registerUser(NewUser user) {
        return createUser(null, user);
    }

    @Override
    public List<UserInfo> users(String caller) {
        return List.copyOf(accounts.values());
    }

    @Override
    public UserInfo user(String caller, String username) {
        UserInfo user = accounts.get(username);
        if (user == null) {
            throw new NotFoundException("user " + username + " not found");
        }
        return user;
    }

    @Override
    public UserInfo addCredit(String caller, String username, long delta) {
        UserInfo u = user(caller, username);
        UserInfo changed = new UserInfo(u.username(), u.email(), u.firstName(), u.lastName(), u.affiliation(),
                u.credit() + delta, u.roles(), u.created());
        accounts.put(username, changed);
        ledger.add(0, new Charge(Instant.now(), delta, changed.credit(), "credit added by " + caller, null, null,
                null));
        return changed;
    }

    @Override
    public void changePassword(String caller, String oldPassword, String newPassword) {
        user(caller, caller);
    }

    @Override
    public void deleteUser(String caller, String username) {
        user(caller, username);
        accounts.remove(username);
    }

    @Override
    public List<Charge> charges(String caller, String username) {
        user(caller, username);
        return List.copyOf(ledger);
    }

    @Override
    public byte[] userCertificate(String caller) {
        return ("certificate of " + caller).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    // ---- code versions and startup scripts: enough for the adapters' tests

    final Map<String, String> startupScripts = new TreeMap<>();

    @Override
    public CodeVersionInfo uploadCode(String user, String app, String svc, UploadedFile archive, String description) {
        service(user, app, svc);
        return new CodeVersionInfo("code-000001", archive.fileName(), description, 0, Instant.now(), false);
    }

    @Override
    public List<CodeVersionInfo> codeVersions(String user, String app, String svc) {
        service(user, app, svc);
        return List.of();
    }

    @Override
    public UploadedFile downloadCode(String user, String app, String svc, String version) {
        throw new NotFoundException("code version " + version + " not found");
    }

    @Override
    public void deleteCode(String user, String app, String svc, String version) {
        throw new NotFoundException("code version " + version + " not found");
    }

    @Override
    public ServiceInfo activateCode(String user, String app, String svc, String version) {
        throw new NotFoundException("code version " + version + " not found");
    }

    @Override
    public String startupScript(String user, String app, String svc) {
        service(user, app, svc);
        return startupScripts.get(app + "/" + svc);
    }

    @Override
    public void setStartupScript(String user, String app, String svc, String script) {
        service(user, app, svc);
        startupScripts.put(app + "/" + svc, script);
    }

    /** Volumes by "app/svc" and name; created and deleted at once (the real director goes through ADAPTING). */
    final Map<String, Map<String, VolumeInfo>> volumes = new TreeMap<>();

    @Override
    public synchronized List<VolumeInfo> volumes(String user, String app, String svc) {
        service(user, app, svc);
        return List.copyOf(volumes.getOrDefault(app + "/" + svc, Map.of()).values());
    }

    @Override
    public synchronized ServiceInfo createVolume(String user, String app, String svc, String name, int sizeMb,
            String node) {
        ServiceInfo info = service(user, app, svc);
        Map<String, VolumeInfo> ofService = volumes.computeIfAbsent(app + "/" + svc, k -> new TreeMap<>());
        if (ofService.containsKey(name)) {
            throw new ConflictException("a volume named '" + name + "' already exists");
        }
        ofService.put(name, new VolumeInfo(name, sizeMb, node, "local", "/media/" + name, T0));
        return info;
    }

    @Override
    public synchronized ServiceInfo deleteVolume(String user, String app, String svc, String name) {
        ServiceInfo info = service(user, app, svc);
        if (volumes.getOrDefault(app + "/" + svc, new TreeMap<>()).remove(name) == null) {
            throw new NotFoundException("volume " + name + " not found");
        }
        return info;
    }
}
