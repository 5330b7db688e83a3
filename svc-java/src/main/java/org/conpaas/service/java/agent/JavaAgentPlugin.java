package org.conpaas.service.java.agent;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.conpaas.api.agent.AgentPlugin;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.service.ServiceType;
import org.conpaas.service.java.JavaOperations;
import org.conpaas.service.java.JavaServiceType;
import org.conpaas.service.web.WebOperations;
import org.conpaas.service.web.agent.NginxConfigs;
import org.conpaas.service.web.agent.Params;
import org.conpaas.service.web.agent.StaticContent;
import org.conpaas.service.web.agent.WebAgent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The node side of the Java service: the web roles of {@link WebAgent} with Tomcat as the backend. The web nodes
 * serve the WAR's static files; JSPs, folders without a static index and every path without a file (servlets) go to
 * Tomcat. Tomcat outlives the plug-in instance like the other servers (the agent stops it when it stops).
 */
@Component(service = AgentPlugin.class, property = ServiceType.PROPERTY + "=" + JavaServiceType.NAME)
public class JavaAgentPlugin extends WebAgent {

    static final int DEFAULT_HEAP_MB = 512;

    /** JSPs straight to Tomcat; @backend_index gets what a web node left to the backend (its 449 answer). */
    static final String HTTP_ROUTES = """
                location ~ \\.jspx?(/|$) {
            %1$s    }
                location @backend_index {
            %1$s    }
            """;

    private final Tomcat tomcat;

    @Activate
    public JavaAgentPlugin(@Reference NodeEnvironment environment) {
        super(environment);
        this.tomcat = new Tomcat(environment, account);
    }

    @Override
    protected String backendRoutes() {
        String common = NginxConfigs.PROXY_HEADERS
                + "      proxy_pass http://" + NginxConfigs.BACKEND_UPSTREAM + ";\n"
                // a backend that is gone (refused connection) is skipped: the request goes to another one
                + "      proxy_next_upstream error timeout;\n";
        return String.format(HTTP_ROUTES, common);
    }

    @Override
    protected StaticContent staticContent() {
        return new StaticContent(List.of("jsp", "jspx"), List.of("WEB-INF", "META-INF"), true);
    }

    @Override
    protected void startBackend(Params params) throws IOException {
        int heapMb = params.optionalInt(JavaOperations.HEAP_MB, DEFAULT_HEAP_MB);
        if (heapMb < 64 || heapMb > 65536) {
            throw new IllegalArgumentException(JavaOperations.HEAP_MB + " must be from 64 to 65536, not " + heapMb);
        }
        tomcat.apply(new Tomcat.Settings(params.port(WebOperations.PORT), heapMb,
                params.addresses(WebOperations.PROXIES)), codeDir());
    }

    @Override
    protected void stopBackend() {
        tomcat.stop();
    }

    @Override
    protected boolean backendRunning() {
        return tomcat.isRunning();
    }

    @Override
    protected Optional<String> backendProblem() {
        return tomcat.problem();
    }

    @Override
    protected void codeSwitched() throws IOException {
        tomcat.codeSwitched(codeDir());
    }

    @Override
    protected Map<String, Object> otherStatus() {
        return Map.of();
    }
}
