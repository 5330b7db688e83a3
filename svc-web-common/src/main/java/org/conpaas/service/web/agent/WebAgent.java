package org.conpaas.service.web.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.conpaas.api.agent.AgentPlugin;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.service.web.WebOperations;

/**
 * The node side shared by the web hosting types: the proxy and the static web server, serving the node's active code
 * version ({@link NodeEnvironment#codeDir()}, which the agent stores and switches). A type adds its backend (php-fpm,
 * Tomcat) through the abstract hooks; on a code switch it points the backend at the new version. Every start operation is "start or reconfigure": on a running
 * server it reloads the new configuration in place. Operations run one at a time.
 */
public abstract class WebAgent implements AgentPlugin {

    /** The proxy's port when the manager leaves it to the node: 80 as root, this otherwise. */
    public static final int UNPRIVILEGED_PROXY_PORT = 8000;
    /** The figure of {@link #metrics()}: requests the proxy answered so far. */
    public static final String REQUESTS_TOTAL = "requests_total";

    protected final NodeEnvironment environment;
    protected final ServerAccount account;
    private final NginxServer proxy;
    private final NginxServer web;

    protected WebAgent(NodeEnvironment environment) {
        this.environment = environment;
        this.account = ServerAccount.of(environment);
        this.proxy = new NginxServer(environment, "proxy");
        this.web = new NginxServer(environment, "static");
    }

    @Override
    public final synchronized Object invoke(String operation, Map<String, Object> params, Map<String, Path> files)
            throws Exception {
        Params p = new Params(params);
        switch (operation) {
            case WebOperations.START_PROXY -> {
                return startProxy(p);
            }
            case WebOperations.STOP_PROXY -> proxy.stop();
            case WebOperations.START_WEB -> {
                int port = p.port(WebOperations.PORT);
                web.apply(NginxConfigs.web(web, account, environment.address(), port, codeDir(),
                        staticContent()), environment.address(), port);
            }
            case WebOperations.STOP_WEB -> web.stop();
            case WebOperations.START_BACKEND -> startBackend(p);
            case WebOperations.STOP_BACKEND -> stopBackend();
            case WebOperations.STATUS -> {
                return status();
            }
            default -> {
                return invokeOther(operation, p);
            }
        }
        return Map.of();
    }

    /**
     * The agent switched the node to {@code version}: the workers may read it, and a running backend serves it from now
     * on (nginx follows the {@code codeDir()} link by itself). A backend that cannot serve it throws: the agent then
     * switches the node back and calls this again with the version before.
     */
    @Override
    public final synchronized void onCodeActivated(String version) throws IOException {
        Path folder = codeDir().toRealPath();
        account.makeReadable(folder);
        account.makeTraversable(environment.workDir(), folder);
        codeSwitched();
    }

    /** Where the active code version is; servers are pointed here (a link the agent switches atomically). */
    protected Path codeDir() {
        return environment.codeDir();
    }

    private Map<String, Object> startProxy(Params p) throws IOException {
        int requested = p.optionalInt(WebOperations.PORT, 0);
        int port = requested > 0 ? requested : account.root() ? 80 : UNPRIVILEGED_PROXY_PORT;
        List<Upstream> webs = Upstream.listOf(p.value(WebOperations.WEB_NODES), WebOperations.WEB_NODES);
        List<Upstream> backends = Upstream.listOf(p.value(WebOperations.BACKENDS), WebOperations.BACKENDS);
        String maxBody = p.optionalText(WebOperations.MAX_BODY_SIZE, "8m");
        if (!maxBody.matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException("invalid " + WebOperations.MAX_BODY_SIZE + " " + maxBody);
        }
        proxy.apply(NginxConfigs.proxy(proxy, account, environment.address(), port, webs, backends, maxBody,
                backendHttpContext(), backendRoutes()), environment.address(), port);
        Files.writeString(proxy.home().resolve("port"), String.valueOf(port));
        return Map.of(WebOperations.PORT, port);
    }

    private Map<String, Object> status() throws IOException {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("proxy", proxy.isRunning());
        status.put("web", web.isRunning());
        status.put("backend", backendRunning());
        status.put(WebOperations.VERSION, environment.codeVersion().orElse(""));
        Path port = proxy.home().resolve("port");
        if (proxy.isRunning() && Files.isRegularFile(port)) {
            status.put("proxyPort", Integer.parseInt(Files.readString(port).trim()));
        }
        status.putAll(otherStatus());
        return status;
    }

    /** The proxy's locations for backend requests; they must define {@code @backend_index} (a folder's index script). */
    protected abstract String backendRoutes();

    /** Lines the backend routes need at the proxy's http level (maps); none by default. */
    protected String backendHttpContext() {
        return "";
    }

    /** What the web nodes serve as files and what they leave to the backends. */
    protected abstract StaticContent staticContent();

    /** Starts the backend, or reconfigures the running one. */
    protected abstract void startBackend(Params params) throws IOException;

    /** Stops the backend gracefully (requests in progress finish). */
    protected abstract void stopBackend() throws IOException;

    protected abstract boolean backendRunning();

    /** What is wrong with the backend's own servers (a died php-fpm, Tomcat, memcached); nothing by default. */
    protected Optional<String> backendProblem() {
        return Optional.empty();
    }

    /** The proxy's, the static server's and the backend's deaths since they were started, in one sentence. */
    @Override
    public Optional<String> problem() {
        return Daemon.problems(proxy.problem(), web.problem(), backendProblem());
    }

    /**
     * {@code requests_total}: the requests a running proxy has answered (the service's entry point, so what clients
     * asked for; a request the proxy passes to a web node is not counted again there). Not synchronized, like
     * {@link #problem()}: a long operation must not hold up the load sample.
     */
    @Override
    public Map<String, Double> metrics() {
        if (!proxy.isRunning()) {
            return Map.of();
        }
        OptionalLong served = proxy.requestsServed();
        return served.isPresent() ? Map.of(REQUESTS_TOTAL, (double) served.getAsLong()) : Map.of();
    }

    /** The active code version changed; a running backend must serve the new one from now on. */
    protected abstract void codeSwitched() throws IOException;

    /** Type-specific operations; unknown ones are refused. */
    protected Object invokeOther(String operation, Params params) throws Exception {
        throw new IllegalArgumentException("unknown operation " + operation);
    }

    /** Type-specific entries of {@code status}. */
    protected Map<String, Object> otherStatus() {
        return Map.of();
    }

}
