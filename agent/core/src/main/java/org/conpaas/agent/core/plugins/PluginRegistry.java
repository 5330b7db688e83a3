package org.conpaas.agent.core.plugins;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.conpaas.api.agent.AgentPlugin;
import org.conpaas.service.support.MetricFigures;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The agent plug-ins registered in this agent, by their {@code conpaas.service.type}. */
@Component(service = PluginRegistry.class)
public final class PluginRegistry {

    public static final String TYPE_PROPERTY = "conpaas.service.type";
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    private final Map<String, Registered> byType = new TreeMap<>();

    /** A plug-in and the bundle that registered it. */
    public record Registered(String type, AgentPlugin plugin, Bundle bundle) {
        public String version() {
            return bundle.getVersion().toString();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addPlugin(AgentPlugin plugin, ServiceReference<AgentPlugin> reference) {
        Object type = reference.getProperty(TYPE_PROPERTY);
        if (!(type instanceof String) || ((String) type).isBlank()) {
            LOG.warn("ignoring an agent plug-in of bundle {} without the {} property",
                    reference.getBundle().getSymbolicName(), TYPE_PROPERTY);
            return;
        }
        synchronized (this) {
            byType.put((String) type, new Registered((String) type, plugin, reference.getBundle()));
            notifyAll();
        }
        LOG.info("agent plug-in {} registered by {} {}", type, reference.getBundle().getSymbolicName(),
                reference.getBundle().getVersion());
    }

    public void removePlugin(AgentPlugin plugin, ServiceReference<AgentPlugin> reference) {
        Object type = reference.getProperty(TYPE_PROPERTY);
        synchronized (this) {
            Registered current = byType.get(type);
            // a newer registration of the same type may already have replaced this one
            if (current != null && current.plugin() == plugin) {
                byType.remove(type);
                LOG.info("agent plug-in {} unregistered", type);
            }
        }
    }

    public synchronized Optional<Registered> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** Every registered plug-in (a node normally runs one: its service's type). */
    public synchronized List<Registered> all() {
        return List.copyOf(byType.values());
    }

    /** Type → bundle version of every registered plug-in. */
    public synchronized Map<String, String> versions() {
        Map<String, String> versions = new TreeMap<>();
        byType.forEach((type, registered) -> versions.put(type, registered.version()));
        return versions;
    }

    /** The longest problem sentence a plug-in may report; the rest is cut (it travels with every health check). */
    static final int MAX_PROBLEM_CHARS = 500;

    /**
     * Type → what the plug-in says is wrong on the node ({@link AgentPlugin#problem}), for the plug-ins that say
     * something. A plug-in that fails to answer is a problem too. Asked outside the registry's lock: a plug-in may
     * take a moment.
     */
    public Map<String, String> problems() {
        Map<String, String> problems = new TreeMap<>();
        for (Registered registered : all()) {
            String problem;
            try {
                problem = registered.plugin().problem().orElse(null);
            } catch (RuntimeException e) {
                problem = "the " + registered.type() + " plug-in cannot say how the node is: " + e;
            }
            if (problem != null && !problem.isBlank()) {
                String line = problem.strip().replaceAll("\\s*\\n\\s*", "; ");
                problems.put(registered.type(), line.length() <= MAX_PROBLEM_CHARS ? line
                        : line.substring(0, MAX_PROBLEM_CHARS - 1) + "…");
            }
        }
        return problems;
    }

    /**
     * The figures of every plug-in ({@link AgentPlugin#metrics}) that are well named and finite, at most
     * {@link AgentPlugin#MAX_METRICS} in all. A plug-in that fails to answer just has none this time. Asked outside
     * the registry's lock, like {@link #problems()}.
     */
    public Map<String, Double> metrics() {
        Map<String, Double> figures = new TreeMap<>();
        for (Registered registered : all()) {
            try {
                Map<String, Double> own = registered.plugin().metrics();
                if (own != null) {
                    own.forEach((name, value) -> {
                        if (name != null) {
                            figures.putIfAbsent(name, value);
                        }
                    });
                }
            } catch (RuntimeException e) {
                LOG.debug("the {} plug-in gave no metrics: {}", registered.type(), e.toString());
            }
        }
        return MetricFigures.kept(figures);
    }

    /** Waits until {@code bundle} registered the plug-in {@code type}; empty when it did not within {@code timeout}. */
    public synchronized Optional<Registered> awaitFrom(String type, Bundle bundle, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Registered current = byType.get(type);
            if (current != null && current.bundle().getBundleId() == bundle.getBundleId()) {
                return Optional.of(current);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || bundle.getState() == Bundle.UNINSTALLED) {
                return Optional.empty();
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
