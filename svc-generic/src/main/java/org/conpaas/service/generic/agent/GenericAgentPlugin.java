package org.conpaas.service.generic.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.conpaas.api.agent.AgentPlugin;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.service.ServiceType;
import org.conpaas.service.generic.GenericServiceType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.conpaas.service.support.text.Words;

/**
 * The node side of the generic service: keeps {@code agents.json} current and runs the life-cycle scripts from the
 * node's active code version ({@link NodeEnvironment#codeDir()}, stored by the agent). A new version stops the
 * running scripts and starts its init.sh; on a new node, whose code arrives before its membership, init.sh waits for
 * the membership (its MY_ROLE and MASTER_IP come from it). Scripts run in the background; the manager polls
 * {@code get_script_status}.
 */
@Component(service = AgentPlugin.class, property = ServiceType.PROPERTY + "=" + GenericServiceType.NAME)
public class GenericAgentPlugin implements AgentPlugin {

    /** Agent operations. */
    public static final String INIT_AGENT = "init_agent";
    public static final String EXECUTE_SCRIPT = "execute_script";
    public static final String GET_SCRIPT_STATUS = "get_script_status";
    /** Parameters and file parts. */
    public static final String AGENTS = "agents";
    public static final String COMMAND = "command";
    public static final String PARAMETERS = "parameters";
    /** What the application's other services published for scripts (ServiceContext#applicationVariables). */
    public static final String VARIABLES = "variables";

    static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private final NodeEnvironment environment;
    private final Scripts scripts;
    private final Duration grace;
    /** Waits for interrupt.sh and then stops the rest, so that the manager's call returns at once. */
    private final ExecutorService interrupter = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "generic-interrupt");
        thread.setDaemon(true);
        return thread;
    });
    /** The last membership the manager sent; the scripts' MY_ROLE and MASTER_IP come from it. */
    private volatile AgentsFile agents = new AgentsFile(List.of());
    /** Whether the manager sent a membership yet. */
    private boolean joined;
    /** A code version became active before the membership came: its init.sh runs when it comes. */
    private boolean initPending;

    @Activate
    public GenericAgentPlugin(@Reference NodeEnvironment environment) {
        this(environment, DEFAULT_GRACE);
    }

    GenericAgentPlugin(NodeEnvironment environment, Duration grace) {
        this.environment = environment;
        this.scripts = new Scripts(environment);
        this.grace = grace;
    }

    @Deactivate
    void deactivate() {
        interrupter.shutdownNow();
    }

    @Override
    public synchronized Object invoke(String operation, Map<String, Object> params, Map<String, Path> files)
            throws IOException {
        Map<String, Object> p = params == null ? Map.of() : params;
        switch (operation) {
            case INIT_AGENT -> {
                updateAgents(p.get(AGENTS));
                if (p.get(VARIABLES) != null) {
                    scripts.variables(p.get(VARIABLES));
                }
                joined = true;
                if (initPending) {
                    initPending = false;
                    scripts.start("init", List.of(), agents, grace);
                }
            }
            case EXECUTE_SCRIPT -> executeScript(p);
            case GET_SCRIPT_STATUS -> {
                return scripts.status();
            }
            default -> throw new IllegalArgumentException("unknown operation " + operation);
        }
        return Map.of();
    }

    private void updateAgents(Object value) throws IOException {
        AgentsFile list = AgentsFile.fromParameter(value);
        list.writeTo(environment.workDir().resolve("agents.json"));
        agents = list;
    }

    /** Kills the running scripts and starts init.sh of the new version (once the node knows its membership). */
    @Override
    public synchronized void onCodeActivated(String version) throws IOException {
        scripts.stopAll(grace);
        if (joined) {
            scripts.start("init", List.of(), agents, grace);
        } else {
            initPending = true;
        }
    }

    private void executeScript(Map<String, Object> params) throws IOException {
        Object command = params.get(COMMAND);
        if (!(command instanceof String name) || !Scripts.NAMES.contains(name)) {
            throw new IllegalArgumentException("command must be one of " + Scripts.NAMES + ", not " + command);
        }
        if (params.get(AGENTS) != null) {
            updateAgents(params.get(AGENTS));
        }
        if (params.get(VARIABLES) != null) {
            scripts.variables(params.get(VARIABLES));
        }
        List<String> arguments = arguments(params.get(PARAMETERS));
        if (name.equals("interrupt")) {
            interrupt(arguments);
        } else {
            scripts.start(name, arguments, agents, grace);
        }
    }

    /**
     * The first interrupt runs interrupt.sh and stops what still runs once it is done; an interrupt while
     * interrupt.sh still runs (or without an interrupt.sh) kills every script's process group at once.
     */
    private void interrupt(List<String> arguments) throws IOException {
        if (scripts.isRunning("interrupt")) {
            scripts.stopAll(Duration.ZERO);
            return;
        }
        if (!Files.isRegularFile(scripts.bin().resolve("interrupt.sh"))) {
            scripts.start("interrupt", arguments, agents, grace); // notes the missing script in interrupt.out
            scripts.stopAll(grace);
            return;
        }
        scripts.start("interrupt", arguments, agents, grace);
        interrupter.submit(() -> {
            try {
                while (scripts.isRunning("interrupt")) {
                    Thread.sleep(50);
                }
                synchronized (this) {
                    for (String name : Scripts.NAMES) {
                        if (!name.equals("interrupt")) {
                            scripts.stop(name, grace);
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
    }

    private static List<String> arguments(Object parameters) {
        if (parameters == null) {
            return List.of();
        }
        if (!(parameters instanceof String text)) {
            throw new IllegalArgumentException("parameter parameters must be a text, not " + parameters);
        }
        return Words.split(text); // as a shell would: "two words" is one argument
    }
}
