package org.conpaas.core.internal.director;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.conpaas.api.service.AgentCalls;
import org.conpaas.api.service.CodeRepository;
import org.conpaas.api.service.ManagerState;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceLog;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.core.internal.persistence.ServiceEntity;
import org.conpaas.core.internal.persistence.Store;

/** One live service: its manager and the context the director gave it. */
final class ManagedService implements ServiceContext {
    private final ServiceKey key;
    private final Store store;
    private final AgentCalls agents;
    private final CodeRepository code;
    private final ManagerState state;
    private final ServiceLogFile log;
    private final HostShares hostShares;
    private ScheduledThreadPoolExecutor scheduler;
    private ServiceManager manager;

    ManagedService(ServiceKey key, Store store, AgentCalls agents, ServiceLogFile log, CodeRepository code,
            HostShares hostShares) {
        this.key = key;
        this.hostShares = hostShares;
        this.store = store;
        this.agents = agents;
        this.code = code;
        this.state = new PersistentManagerState(store, key.serviceDbId());
        this.log = log;
    }

    void attach(ServiceManager manager) {
        this.manager = manager;
    }

    ServiceManager manager() {
        return manager;
    }

    ServiceKey key() {
        return key;
    }

    /** Ends the manager's own scheduled work; called when the service goes away or its type is uninstalled. */
    synchronized void dispose() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public long applicationId() {
        return key.applicationId();
    }

    @Override
    public int serviceId() {
        return key.number();
    }

    @Override
    public String serviceName() {
        return store.tx(em -> em.find(ServiceEntity.class, key.serviceDbId()).getName());
    }

    @Override
    public String ownerId() {
        return key.owner();
    }

    @Override
    public Optional<String> shareOnHost(ServiceNode node, String name, Map<String, Path> files) {
        return hostShares.share(node, name, files);
    }

    @Override
    public List<ServiceNode> nodes() {
        return store.tx(em -> store.runningNodes(em, key.serviceDbId()));
    }

    @Override
    public List<ServiceNode> failedNodes() {
        return store.tx(em -> store.failedNodes(em, key.serviceDbId()));
    }

    @Override
    public CodeRepository code() {
        return code;
    }

    @Override
    public void publishUrl(String url) {
        store.tx(em -> {
            ServiceEntity s = em.find(ServiceEntity.class, key.serviceDbId());
            if (s != null) {
                s.setUrl(url == null || url.isBlank() ? null : url);
            }
            return null;
        });
    }

    @Override
    public void publishVariables(java.util.Map<String, String> variables) {
        ServiceVariables.publish(store, key.serviceDbId(), variables);
    }

    @Override
    public java.util.Map<String, String> applicationVariables() {
        return ServiceVariables.ofApplication(store, key.applicationId(), key.serviceDbId());
    }

    @Override
    public AgentCalls agents() {
        return agents;
    }

    @Override
    public ManagerState state() {
        return state;
    }

    @Override
    public ServiceLog log() {
        return log;
    }

    @Override
    public synchronized ScheduledExecutorService scheduler() {
        // Created on first use: most managers never schedule anything, and an idle thread per service adds up.
        if (scheduler == null) {
            scheduler = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "conpaas-service-" + key.applicationId() + "-" + key.number());
                t.setDaemon(true);
                return t;
            });
        }
        return scheduler;
    }
}
