package org.conpaas.core.internal.director;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;
import org.conpaas.core.internal.agent.AgentClient;
import org.conpaas.core.internal.code.CodeVersions;
import org.conpaas.core.internal.persistence.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The live managers of services (created on first use) and each service's files under the data folder. */
final class ServiceManagers {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceManagers.class);

    private final Store store;
    private final ServiceTypeRegistry types;
    private final AgentClient agentClient;
    private final CodeVersions code;
    private final ExecutorService executor;
    private final Path dataDir;
    private final HostShares hostShares;
    private final Map<Long, ManagedService> live = new ConcurrentHashMap<>();

    ServiceManagers(Store store, ServiceTypeRegistry types, AgentClient agentClient, CodeVersions code,
            ExecutorService executor, Path dataDir, CloudRegistry clouds) {
        this.hostShares = new HostShares(clouds);
        this.store = store;
        this.types = types;
        this.agentClient = agentClient;
        this.code = code;
        this.executor = executor;
        this.dataDir = dataDir;
        types.onRemoval(this::forgetType);
    }

    /** The live manager of a service, created on first use (and again after its type was re-installed). */
    ManagedService managed(ServiceKey key) {
        return live.computeIfAbsent(key.serviceDbId(), id -> {
            RegisteredType type = types.require(key.type());
            ManagedService service = new ManagedService(key, store,
                    new PluginAgentCalls(agentClient, key.type(), executor), logFile(id), code.repository(id),
                    hostShares);
            service.attach(type.type().createManager(service));
            return service;
        });
    }

    void forget(long serviceDbId) {
        ManagedService service = live.remove(serviceDbId);
        if (service != null) {
            service.dispose();
        }
    }

    void disposeAll() {
        live.values().forEach(ManagedService::dispose);
        live.clear();
    }

    private void forgetType(String type) {
        live.values().removeIf(service -> {
            if (service.key().type().equals(type)) {
                service.dispose();
                return true;
            }
            return false;
        });
    }

    ServiceLogFile logFile(long serviceDbId) {
        return new ServiceLogFile(serviceDir(serviceDbId).resolve("manager.log"));
    }

    /** Logs to the service's manager log (when its manager is known) and to the director's log. */
    static void logError(ManagedService service, String message, Exception e) {
        if (service != null) {
            service.log().error(message, e);
        }
        LOG.warn(message, e);
    }

    /** Deletes what the service left: manager, code versions, files. */
    void deleteFiles(long serviceDbId) {
        forget(serviceDbId);
        code.deleteAll(serviceDbId);
        Path dir = serviceDir(serviceDbId);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.getMessage());
        }
    }

    private Path serviceDir(long serviceDbId) {
        return dataDir.resolve("services").resolve(String.valueOf(serviceDbId));
    }
}
