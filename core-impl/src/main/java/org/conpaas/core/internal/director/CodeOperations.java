package org.conpaas.core.internal.director;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.State;
import org.conpaas.api.model.CodeVersionInfo;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.code.CodeVersions;
import org.conpaas.core.internal.code.NodeCode;
import org.conpaas.core.internal.persistence.ServiceEntity;
import org.conpaas.core.internal.persistence.Store;

/** Code versions (upload, list, download, delete, activate) and the startup script of a service. */
final class CodeOperations {
    /** Without running nodes a version is simply the one new nodes will get. */
    private static final Set<State> IDLE = EnumSet.of(State.INIT, State.STOPPED, State.ERROR);

    private final Store store;
    private final Lookup lookup;
    private final OperationEngine engine;
    private final ServiceTypeRegistry types;
    private final CodeVersions code;
    private final NodeCode nodeCode;
    private final ServiceManagers managers;
    private final ServiceQueries queries;
    private final Supplier<InputLimits> limits;

    CodeOperations(Store store, Lookup lookup, OperationEngine engine, ServiceTypeRegistry types, CodeVersions code,
            NodeCode nodeCode, ServiceManagers managers, ServiceQueries queries, Supplier<InputLimits> limits) {
        this.store = store;
        this.lookup = lookup;
        this.engine = engine;
        this.types = types;
        this.code = code;
        this.nodeCode = nodeCode;
        this.managers = managers;
        this.queries = queries;
        this.limits = limits;
    }

    CodeVersionInfo upload(String user, String app, String svc, UploadedFile archive, String description) {
        return code.upload(serviceId(user, app, svc), archive, description);
    }

    List<CodeVersionInfo> list(String user, String app, String svc) {
        return code.list(serviceId(user, app, svc));
    }

    UploadedFile download(String user, String app, String svc, String version) {
        return code.download(serviceId(user, app, svc), version);
    }

    void delete(String user, String app, String svc, String version) {
        code.delete(serviceId(user, app, svc), version);
    }

    ServiceInfo activate(String user, String app, String svc, String version) {
        ServiceKey key = lookup.service(user, app, svc);
        // Checked before any state change: an unknown version changes nothing.
        if (code.list(key.serviceDbId()).stream().noneMatch(v -> v.id().equals(version))) {
            throw new NotFoundException("code version " + version + " not found");
        }
        State state = store.tx(em -> em.find(ServiceEntity.class, key.serviceDbId()).getState());
        // The type's own check runs before any lock or claim.
        Optional<ServiceManager> manager = types.isInstalled(key.type())
                ? Optional.of(managers.managed(key).manager()) : Optional.empty();
        manager.ifPresent(m -> m.checkActivateCode(version));
        if (state != State.RUNNING) {
            // No node runs the code: the version is simply the one new nodes will get, if the type takes it.
            return engine.whileIn(key, "activate code", IDLE, () -> {
                code.activate(key.serviceDbId(), version);
                return queries.service(user, app, svc);
            });
        }
        OperationEngine.Claim claim = engine.claim(key, "activate code", ServiceLifecycle.CHANGEABLE,
                State.ADAPTING, "activating " + version, (em, s) -> types.require(s.getType()));
        engine.run(claim, cancelled -> ServiceLifecycle.confirmed(
                () -> managers.managed(key).manager().checkActivateCode(version), () -> runActivate(key, version)));
        return claim.info();
    }

    /**
     * Every node gets the version and switches to it ({@link NodeCode}), then the manager reacts. When a node cannot
     * switch, or the manager's reaction fails, the nodes go back to the previous version, which stays the active one,
     * and the service keeps running: a bad version is refused, nothing is lost.
     */
    private OperationEngine.Outcome runActivate(ServiceKey key, String version) {
        ManagedService service = null;
        Optional<String> previous = code.list(key.serviceDbId()).stream().filter(CodeVersionInfo::active)
                .map(CodeVersionInfo::id).findFirst();
        try {
            service = managers.managed(key);
            code.activate(key.serviceDbId(), version);
            List<ServiceNode> nodes = service.nodes();
            nodeCode.activate(key.serviceDbId(), nodes, version, previous);
            try {
                service.manager().onCodeActivated(version);
            } catch (Exception reaction) {
                nodeCode.switchBack(key.serviceDbId(), nodes, previous, reaction);
                throw reaction;
            }
            service.log().info("activated " + version);
            return OperationEngine.Outcome.running("activated " + version);
        } catch (Exception e) {
            String why = "activating " + version + " failed: " + Reasons.of(e);
            ServiceManagers.logError(service, why, e);
            previous.ifPresent(id -> code.activate(key.serviceDbId(), id));
            return OperationEngine.Outcome.running(why + previous.map(id -> "; " + id + " stays active").orElse(""));
        }
    }

    String startupScript(String user, String app, String svc) {
        return store.tx(em -> lookup.service(em, user, app, svc).getStartupScript());
    }

    void setStartupScript(String user, String app, String svc, String script) {
        limits.get().checkStartupScript(script);
        store.tx(em -> {
            ServiceEntity s = lookup.service(em, user, app, svc);
            s.setStartupScript(script == null || script.isBlank() ? null : script);
            return null;
        });
    }

    private long serviceId(String user, String app, String svc) {
        return store.tx(em -> lookup.service(em, user, app, svc).getId());
    }
}
