package org.conpaas.service.helloworld;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceNode;

/** Gives every node the configured string at start-up and collects the nodes' answers on request. */
public class HelloWorldManager implements ServiceManager {

    /** Manager state key of the string the nodes hand back. */
    public static final String STRING_KEY = "string";
    public static final String DEFAULT_STRING = "helloworld";
    /** Agent plug-in operations. */
    static final String AGENT_STARTUP = "startup";
    static final String AGENT_GET = "get_helloworld";

    private final ServiceContext context;

    public HelloWorldManager(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void onStart(List<ServiceNode> nodes) {
        configure(nodes);
    }

    @Override
    public void onAddNodes(List<ServiceNode> nodes) {
        configure(nodes);
    }

    @Override
    public Object invoke(String operation, Map<String, Object> params, Map<String, UploadedFile> files) {
        if (!HelloWorldServiceType.GET_HELLOWORLD.equals(operation)) {
            throw new IllegalArgumentException("unknown operation " + operation);
        }
        List<ServiceNode> nodes = new ArrayList<>(context.nodes());
        nodes.sort(Comparator.comparing(ServiceNode::id, ServiceManager::compareNodeIds));
        List<Object> answers = context.agents().callAll(nodes, AGENT_GET, Map.of());
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            lines.add("Received " + answers.get(i) + " from " + nodes.get(i).id());
        }
        // Failed nodes are not asked (their agents are gone); the answer says so instead of failing.
        List<String> failed = context.failedNodes().stream().map(ServiceNode::id)
                .sorted(ServiceManager::compareNodeIds).toList();
        if (!failed.isEmpty()) {
            lines.add("Skipped failed node(s): " + String.join(", ", failed));
        }
        return Map.of("helloworld", String.join("\n", lines));
    }

    /** The string from the service's persistent state, so it is the same after a director restart. */
    String string() {
        return context.state().get(STRING_KEY).orElse(DEFAULT_STRING);
    }

    private void configure(List<ServiceNode> nodes) {
        if (nodes.isEmpty()) {
            return;
        }
        String string = string();
        context.log().info("giving the string '" + string + "' to " + nodes.size() + " node(s)");
        context.agents().callAll(nodes, AGENT_STARTUP, Map.of(STRING_KEY, string));
    }
}
