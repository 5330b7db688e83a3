package org.conpaas.service.generic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.conpaas.api.ConflictException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.service.generic.agent.GenericAgentPlugin;
import org.conpaas.service.support.text.Words;

/**
 * Drives the generic service's scripts on its nodes: every node knows the membership (agents.json), and the nodes
 * already there run notify.sh once whenever membership changes. The code itself is the core's business (it puts the
 * active version on every node, docs/code-distribution.md); each node's plug-in runs init.sh when its version
 * switches.
 */
public class GenericManager implements ServiceManager {

    /** The original's messages, kept word for word: clients and acceptance tests match them. */
    public static final String NOTHING_TO_INTERRUPT =
            "ERROR: No scripts are currently running inside agents. Nothing to interrupt.";
    public static final String STILL_RUNNING = "ERROR: Scripts are still running inside at least one agent. "
            + "Please wait for them to finish execution or call 'interrupt' first.";
    public static final String MASTER_STAYS = "the master node cannot be removed; it stays until the service stops";
    static final String RUNNING = "RUNNING";

    private final ServiceContext context;

    public GenericManager(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void onStart(List<ServiceNode> nodes) throws Exception {
        join(nodes, List.of());
    }

    @Override
    public void onAddNodes(List<ServiceNode> added) throws Exception {
        Set<String> addedIds = ids(added);
        List<ServiceNode> previous = context.nodes().stream().filter(n -> !addedIds.contains(n.id())).toList();
        join(added, previous);
    }

    /**
     * New nodes learn the full membership (their plug-in runs init.sh of the code the core installed then); then the
     * others run notify.sh once.
     */
    private void join(List<ServiceNode> added, List<ServiceNode> previous) throws Exception {
        if (added.isEmpty()) {
            return;
        }
        List<ServiceNode> members = new ArrayList<>(previous);
        Set<String> previousIds = ids(previous);
        added.stream().filter(n -> !previousIds.contains(n.id())).forEach(members::add);
        List<Map<String, Object>> agents = agentsList(members);
        if (context.code().active().isEmpty()) {
            context.log().warn("no code version is active: the new node(s) have no scripts yet");
        }
        context.agents().callAll(sorted(added), GenericAgentPlugin.INIT_AGENT, Map.of(GenericAgentPlugin.AGENTS, agents,
                GenericAgentPlugin.VARIABLES, context.applicationVariables()));
        notify(previous, agents);
    }

    @Override
    public void checkRemoveNodes(Map<String, Integer> roles) {
        if (roles.getOrDefault(GenericServiceType.MASTER, 0) > 0) {
            throw new InvalidInputException(MASTER_STAYS);
        }
    }

    /** The newest {@code node}s; never the master, whatever is asked. */
    @Override
    public List<ServiceNode> selectNodesToRemove(Map<String, Integer> roles, List<ServiceNode> current) {
        int count = roles.getOrDefault(GenericServiceType.NODE, 0);
        return current.stream().filter(n -> n.role().equals(GenericServiceType.NODE))
                .sorted(Comparator.comparing(ServiceNode::id, ServiceManager::compareNodeIds).reversed())
                .limit(count).toList();
    }

    @Override
    public void onRemoveNodes(List<ServiceNode> removed) throws Exception {
        Set<String> removedIds = ids(removed);
        List<ServiceNode> remaining = context.nodes().stream().filter(n -> !removedIds.contains(n.id())).toList();
        notify(remaining, agentsList(remaining));
    }

    /** Failed nodes are gone already: the remaining ones learn the new membership and run notify.sh, as on removal. */
    @Override
    public void onNodesFailed(List<ServiceNode> failed) {
        List<ServiceNode> remaining = context.nodes();
        context.log().info("the remaining node(s) learn that "
                + sorted(failed).stream().map(ServiceNode::id).toList() + " failed");
        notify(remaining, agentsList(remaining));
    }

    /** A new version (init.sh runs on every node) is refused while scripts run, as in the original. */
    @Override
    public void checkActivateCode(String version) {
        // Refused before anything changes, so the service stays RUNNING with its current code.
        refuseWhileScriptsRun();
    }

    /** Volumes come and go only while no script runs, so a script never loses its storage under its feet. */
    @Override
    public void checkCreateVolume(String name, int sizeMb, ServiceNode node) {
        refuseWhileScriptsRun();
    }

    @Override
    public void checkDeleteVolume(String name) {
        refuseWhileScriptsRun();
    }

    private void refuseWhileScriptsRun() {
        if (anyScriptRunning(sorted(context.nodes()))) {
            throw new ConflictException(STILL_RUNNING);
        }
    }

    @Override
    public Object invoke(String operation, Map<String, Object> params, Map<String, UploadedFile> files)
            throws Exception {
        switch (operation) {
            case GenericServiceType.RUN, GenericServiceType.CLEANUP, GenericServiceType.INTERRUPT -> {
                return executeScript(operation, params);
            }
            case GenericServiceType.GET_SCRIPT_STATUS -> {
                return Map.of("agents", statusByNode(sorted(context.nodes())));
            }
            default -> throw new IllegalArgumentException("unknown operation " + operation);
        }
    }

    private Object executeScript(String command, Map<String, Object> params) {
        List<ServiceNode> nodes = sorted(context.nodes());
        boolean running = anyScriptRunning(nodes);
        if (command.equals(GenericServiceType.INTERRUPT) && !running) {
            throw new IllegalArgumentException(NOTHING_TO_INTERRUPT);
        }
        if (!command.equals(GenericServiceType.INTERRUPT) && running) {
            throw new IllegalArgumentException(STILL_RUNNING);
        }
        Object parameters = params == null ? null : params.get(GenericServiceType.PARAMETERS);
        String text = parameters == null ? "" : String.valueOf(parameters);
        try {
            Words.split(text); // the agents split it the same way: refuse an unclosed quote here, before any runs
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(GenericServiceType.PARAMETERS, "parameters: " + e.getMessage());
        }
        context.log().info("executing " + command + ".sh" + (text.isBlank() ? "" : " " + text) + " on "
                + nodes.size() + " node(s)");
        context.agents().callAll(nodes, GenericAgentPlugin.EXECUTE_SCRIPT, Map.of(GenericAgentPlugin.COMMAND,
                command, GenericAgentPlugin.PARAMETERS, text, GenericAgentPlugin.AGENTS, agentsList(nodes),
                GenericAgentPlugin.VARIABLES, context.applicationVariables()));
        List<String> failed = context.failedNodes().stream().map(ServiceNode::id).toList();
        return failed.isEmpty() ? Map.of("command", command, "nodes", nodes.size())
                : Map.of("command", command, "nodes", nodes.size(), "skippedFailedNodes", failed);
    }

    private void notify(List<ServiceNode> nodes, List<Map<String, Object>> agents) {
        if (nodes.isEmpty()) {
            return;
        }
        context.agents().callAll(sorted(nodes), GenericAgentPlugin.EXECUTE_SCRIPT, Map.of(GenericAgentPlugin.COMMAND,
                "notify", GenericAgentPlugin.PARAMETERS, "", GenericAgentPlugin.AGENTS, agents,
                GenericAgentPlugin.VARIABLES, context.applicationVariables()));
    }

    private boolean anyScriptRunning(List<ServiceNode> nodes) {
        return statusByNode(nodes).values().stream().anyMatch(scripts -> scripts.containsValue(RUNNING));
    }

    private Map<String, Map<String, Object>> statusByNode(List<ServiceNode> nodes) {
        List<Object> answers = nodes.isEmpty() ? List.of()
                : context.agents().callAll(nodes, GenericAgentPlugin.GET_SCRIPT_STATUS, Map.of());
        Map<String, Map<String, Object>> status = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Map<String, Object> scripts = new TreeMap<>();
            if (answers.get(i) instanceof Map<?, ?> map) {
                map.forEach((script, state) -> scripts.put(String.valueOf(script), state));
            }
            status.put(nodes.get(i).id(), scripts);
        }
        return status;
    }

    /** agents.json: {id, ip, role} in node order. */
    static List<Map<String, Object>> agentsList(List<ServiceNode> nodes) {
        List<Map<String, Object>> agents = new ArrayList<>();
        for (ServiceNode node : sorted(nodes)) {
            Map<String, Object> agent = new LinkedHashMap<>();
            agent.put("id", node.id());
            agent.put("ip", node.address());
            agent.put("role", node.role());
            agents.add(agent);
        }
        return agents;
    }

    private static List<ServiceNode> sorted(List<ServiceNode> nodes) {
        List<ServiceNode> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing(ServiceNode::id, ServiceManager::compareNodeIds));
        return sorted;
    }

    private static Set<String> ids(List<ServiceNode> nodes) {
        return nodes.stream().map(ServiceNode::id).collect(Collectors.toSet());
    }
}
