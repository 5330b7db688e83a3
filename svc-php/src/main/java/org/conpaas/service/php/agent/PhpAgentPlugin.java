package org.conpaas.service.php.agent;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.conpaas.api.agent.AgentPlugin;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.service.ServiceType;
import org.conpaas.service.php.PhpOperations;
import org.conpaas.service.php.PhpServiceType;
import org.conpaas.service.web.WebOperations;
import org.conpaas.service.web.agent.NginxConfigs;
import org.conpaas.service.web.agent.Params;
import org.conpaas.service.web.agent.StaticContent;
import org.conpaas.service.web.agent.Upstream;
import org.conpaas.service.web.agent.WebAgent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The node side of the PHP service: the web roles of {@link WebAgent} with php-fpm as the backend and memcached as
 * the session store.
 * <p>
 * The servers outlive the plug-in instance on purpose: when the director pushes an updated plug-in, the new instance
 * finds them under the same process names and reloads them, so the application keeps being served. The agent stops
 * them when it stops.
 */
@Component(service = AgentPlugin.class, property = ServiceType.PROPERTY + "=" + PhpServiceType.NAME)
public class PhpAgentPlugin extends WebAgent {

    /**
     * The proxy's FastCGI routes: {@code /a/b.php} and {@code /a/b.php/extra} go to the backends with the script path
     * relative to the backend's code folder, a folder without a static index gets its {@code index.php}. The
     * request URI was normalised by nginx, so the captured path holds no {@code ..}.
     */
    static final String FASTCGI_ROUTES = """
                location ~ ^/(?<script>.+?\\.php)(?<script_path_info>/.*)?$ {
                  fastcgi_param SCRIPT_FILENAME $script;
                  fastcgi_param SCRIPT_NAME /$script;
                  fastcgi_param PATH_INFO $script_path_info;
            %1$s    }
                location @backend_index {
                  fastcgi_param SCRIPT_FILENAME ${backend_index_dir}index.php;
                  fastcgi_param SCRIPT_NAME ${uri}index.php;
                  fastcgi_param PATH_INFO "";
            %1$s    }
            """;
    /** The folder of a URI without its leading slash, for {@code @backend_index} (a map must be at http level). */
    static final String INDEX_DIR_MAP = """
              map $uri $backend_index_dir {
                ~^/(?<index_dir>.*)$ $index_dir;
              }
            """;
    /** What a PHP script expects from FastCGI, besides the script itself (HTTP headers come as HTTP_*). */
    static final List<String> FASTCGI_PARAMS = List.of(
            "QUERY_STRING $query_string", "REQUEST_METHOD $request_method", "CONTENT_TYPE $content_type",
            "CONTENT_LENGTH $content_length", "REQUEST_URI $request_uri", "DOCUMENT_URI $document_uri",
            "SERVER_PROTOCOL $server_protocol", "REQUEST_SCHEME $scheme", "HTTPS $https if_not_empty",
            "GATEWAY_INTERFACE CGI/1.1", "SERVER_SOFTWARE nginx", "REMOTE_ADDR $remote_addr",
            "REMOTE_PORT $remote_port", "SERVER_ADDR $server_addr", "SERVER_PORT $server_port",
            "SERVER_NAME $host", "REDIRECT_STATUS 200");

    private final PhpFpm fpm;
    private final SessionStore sessions;

    @Activate
    public PhpAgentPlugin(@Reference NodeEnvironment environment) {
        super(environment);
        this.fpm = new PhpFpm(environment, account);
        this.sessions = new SessionStore(environment, account);
    }

    @Override
    protected String backendRoutes() {
        StringBuilder common = new StringBuilder();
        FASTCGI_PARAMS.forEach(p -> common.append("      fastcgi_param ").append(p).append(";\n"));
        common.append("      fastcgi_pass ").append(NginxConfigs.BACKEND_UPSTREAM).append(";\n")
                // a backend that is gone (refused connection) is skipped: the request goes to another one
                .append("      fastcgi_next_upstream error timeout;\n");
        return String.format(FASTCGI_ROUTES, common);
    }

    @Override
    protected String backendHttpContext() {
        return INDEX_DIR_MAP;
    }

    @Override
    protected StaticContent staticContent() {
        return new StaticContent(List.of("php"), List.of(), false);
    }

    @Override
    protected void startBackend(Params params) throws IOException {
        int port = params.port(WebOperations.PORT);
        List<Upstream> stores = params.value(PhpOperations.SESSIONS) == null ? List.of()
                : Upstream.listOf(params.value(PhpOperations.SESSIONS), PhpOperations.SESSIONS);
        List<String> proxies = params.addresses(WebOperations.PROXIES);
        Map<String, String> phpconf = new TreeMap<>();
        params.map(PhpOperations.PHPCONF).forEach((key, value) -> phpconf.put(key, String.valueOf(value)));
        PhpSettings.check(phpconf); // the manager validated them; the node checks what it writes into its config
        fpm.apply(port, codeDir(), stores, proxies, phpconf);
    }

    @Override
    protected void stopBackend() {
        fpm.stop();
    }

    @Override
    protected boolean backendRunning() {
        return fpm.isRunning();
    }

    @Override
    protected Optional<String> backendProblem() {
        String problems = Stream.of(fpm.problem(), sessions.problem())
                .flatMap(Optional::stream).collect(Collectors.joining("; "));
        return problems.isEmpty() ? Optional.empty() : Optional.of(problems);
    }

    @Override
    protected void codeSwitched() {
        fpm.reload();
    }

    @Override
    protected Object invokeOther(String operation, Params params) throws Exception {
        switch (operation) {
            case PhpOperations.START_SESSION_STORE -> sessions.start(params.port(WebOperations.PORT));
            case PhpOperations.STOP_SESSION_STORE -> sessions.stop();
            default -> throw new IllegalArgumentException("unknown operation " + operation);
        }
        return Map.of();
    }

    @Override
    protected Map<String, Object> otherStatus() {
        return Map.of("sessionStore", sessions.isRunning());
    }

}
