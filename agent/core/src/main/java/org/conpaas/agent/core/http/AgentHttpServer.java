package org.conpaas.agent.core.http;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.conpaas.agent.core.AgentConfiguration;
import org.conpaas.agent.core.FrameworkSettings;
import org.conpaas.agent.core.plugins.PluginInstaller;
import org.conpaas.agent.core.plugins.PluginRegistry;
import org.conpaas.agent.core.tls.AgentTls;
import org.conpaas.agent.core.volumes.VolumeMounts;
import org.conpaas.api.agent.NodeEnvironment;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the agent protocol over HTTPS with mutual TLS on the node's address. An agent that cannot listen is
 * useless, so a failure to bind stops the whole agent process (the director then sees the node fail).
 */
@Component(immediate = true)
public final class AgentHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(AgentHttpServer.class);
    /** Requests served at once; operations can be long (≤ 120 s), plain reads are quick. More are answered 503. */
    private static final int MAX_CONCURRENT_REQUESTS = 16;

    /**
     * Seconds the JDK server keeps an idle connection ({@code sun.net.httpserver.idleInterval}, 30 by default). The
     * director's HTTP client keeps an idle connection for 1,200 s ({@code jdk.httpclient.keepalive.timeout}) and
     * reuses it; when the server closes one first, a request sent on it at that moment ends with "header parser
     * received no bytes", and the JDK client re-sends only GETs (reproduced with a JDK server and client alone; in a
     * 50-node start the nodes ready early wait idle for the rest). So the agent keeps idle connections longer than
     * the director does, and the director always closes first.
     */
    static final long IDLE_SECONDS = 1_800;
    /** The bound on open connections ({@code jdk.httpserver.maxConnections}, unbounded by default); more are closed. */
    static final int MAX_CONNECTIONS = 512;

    static {
        // Read once, when the JDK creates its first HTTP server in this JVM: this one.
        System.setProperty("sun.net.httpserver.idleInterval", Long.toString(IDLE_SECONDS));
        System.setProperty("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
    }

    private final HttpsServer server;
    private final ExecutorService executor;

    @Activate
    public AgentHttpServer(BundleContext context, @Reference NodeEnvironment environment,
            @Reference PluginRegistry registry) {
        AgentConfiguration config = FrameworkSettings.read(context);
        SSLContext tls = AgentTls.serverContext(config.keyStore(), config.trustStore(), config.storePassword());
        VolumeMounts volumes = new VolumeMounts(config.mediaDir());
        AgentApi api = new AgentApi(config, registry, new PluginInstaller(context, registry), volumes);
        try {
            server = HttpsServer.create(new InetSocketAddress(config.address(), config.port()), 50);
        } catch (IOException e) {
            LOG.error("agent cannot listen on {}:{}: {}; stopping the agent", config.address(), config.port(),
                    e.getMessage());
            stopFramework(context);
            throw new IllegalStateException("cannot listen on " + config.address() + ":" + config.port(), e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        this.executor = RequestAdmission.serve(server, api, MAX_CONCURRENT_REQUESTS);
        server.start();
        LOG.info("agent {} listening on https://{}:{}; volumes are mounted by {}", config.nodeId(), config.address(),
                config.port(), volumes.method());
    }

    @Deactivate
    void deactivate() {
        server.stop(1);
        executor.shutdownNow();
        LOG.info("agent HTTPS server stopped");
    }

    private static void stopFramework(BundleContext context) {
        Thread stopper = new Thread(() -> {
            try {
                context.getBundle(0).stop();
            } catch (BundleException e) {
                LOG.error("stopping the agent failed", e);
            }
        }, "agent-stop");
        stopper.start();
    }
}
