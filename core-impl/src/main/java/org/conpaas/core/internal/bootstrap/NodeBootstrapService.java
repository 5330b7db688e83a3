package org.conpaas.core.internal.bootstrap;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.conpaas.api.AuthenticationException;
import org.conpaas.api.CloudException;
import org.conpaas.api.ForbiddenException;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.cloud.HostShare;
import org.conpaas.core.internal.agent.AgentClient;
import org.conpaas.core.internal.security.HttpsStatus;
import org.conpaas.core.internal.security.NodeCredentials;
import org.conpaas.core.internal.security.Pki;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's side of a node's boot: renders each node's {@link UserData} with a one-time {@link BootstrapTokens
 * token} and hands the agent runtime to the bearer of a valid token ({@code GET /api/v1/nodes/bootstrap/agent}).
 * Its settings ({@link BootstrapConfig}) apply live, to the nodes launched next.
 *
 * <p>A cloud whose nodes share the director's machine gets its {@link SharedAgents shared agent installation} (and,
 * in the background, its class archive) as soon as the cloud appears, not at its first launch: the first node a user
 * starts after a boot then starts from it too, instead of paying for the unpacking and competing with the training.
 */
@Component(service = {NodeUserData.class, AgentDownloads.class},
        configurationPid = {"org.conpaas.https", "org.conpaas.director"})
public class NodeBootstrapService implements NodeUserData, AgentDownloads {

    /** Path of the agent download under the bootstrap base URL. */
    public static final String AGENT_PATH = "agent";
    private static final Logger LOG = LoggerFactory.getLogger(NodeBootstrapService.class);

    /** @param ownHttps whether nodes download from the director's own HTTPS (no other nodeBootstrapUrl given) */
    private record Settings(Path agentArchive, URI baseUrl, boolean ownHttps, Duration tokenLifetime) {
    }

    private final Pki pki;
    private final BootstrapTokens tokens;
    private final AgentClassArchive classArchive;
    private final SharedAgents sharedAgents;
    private final ExecutorService installer = Executors.newSingleThreadExecutor(work -> {
        Thread thread = new Thread(work, "conpaas-agent-install");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Settings settings;
    /** Whether the director's HTTPS is on; without it a node that downloads the agent cannot boot. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HttpsStatus https;

    @Activate
    public NodeBootstrapService(@Reference Pki pki, @Reference AgentClient agents, BootstrapConfig config) {
        this(pki, agents, config, Clock.systemUTC());
    }

    NodeBootstrapService(Pki pki, AgentClient agents, BootstrapConfig config, Clock clock) {
        this.pki = pki;
        this.tokens = new BootstrapTokens(clock);
        String javaHome = System.getProperty("java.home");
        Path archives = Paths.get(System.getProperty("karaf.data", "data"), "cds"); // beside the director's (bin/setenv)
        this.classArchive = new AgentClassArchive(pki, agents, javaHome, new AgentArchiveStore(archives, javaHome));
        this.sharedAgents = new SharedAgents(classArchive);
        this.settings = settings(config);
        warnWithoutHttps(config);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        installer.shutdownNow();
        installer.awaitTermination(10, TimeUnit.SECONDS);
        classArchive.close();
    }

    /** Installs the agent for a cloud's shared machine ahead of its first launch (in the background). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindCloud(CloudDriver cloud) {
        installer.execute(() -> {
            if (cloud.unavailableReason() == null) {
                cloud.hostShare().ifPresent(share -> sharedAgents.agentHome(share, settings.agentArchive()));
            }
        });
    }

    void unbindCloud(CloudDriver cloud) {
        // nothing to undo: the installation stays for the nodes that run from it
    }

    @Modified
    void modified(BootstrapConfig config) {
        settings = settings(config);
        warnWithoutHttps(config);
        LOG.info("nodes launched from now on boot from {} (tokens valid {} s)", settings.baseUrl(),
                settings.tokenLifetime().toSeconds());
    }

    /** Nodes download the agent over HTTPS only: with it off, and no other URL given, none can boot. */
    private static void warnWithoutHttps(BootstrapConfig config) {
        if (!config.enabled() && config.nodeBootstrapUrl().isBlank()) {
            LOG.warn("HTTPS is off (etc/org.conpaas.https.cfg), so new nodes cannot download the agent; turn it on or "
                    + "set nodeBootstrapUrl in etc/org.conpaas.director.cfg");
        }
    }

    @Override
    public String render(String nodeId, Map<String, String> agentConfig, NodeCredentials credentials,
            String startupScript, Optional<HostShare> hostShare) {
        Settings current = settings;
        String sharedAgent = hostShare.flatMap(share -> sharedAgents.agentHome(share, current.agentArchive()))
                .orElse(null);
        // the node would wait for a download that cannot come, until its start times out
        unbootable(nodeId, sharedAgent != null, current).ifPresent(reason -> {
            throw new CloudException(reason);
        });
        String token = tokens.issue(nodeId, current.tokenLifetime());
        return new UserData(nodeId, agentConfig, credentials.keyStore(), credentials.trustStore(),
                credentials.password(), caPem(), agentUrl(current.baseUrl()), token, startupScript, sharedAgent)
                .render();
    }

    /** Why a node cannot boot: it would download the agent from the director's own HTTPS, which is off. */
    private Optional<String> unbootable(String nodeId, boolean sharedAgent, Settings current) {
        HttpsStatus status = https;
        Optional<String> httpsOff = status == null ? Optional.empty() : status.offReason();
        if (sharedAgent || !current.ownHttps() || httpsOff.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("node " + nodeId + " cannot boot: it downloads the agent from the director over HTTPS, and "
                + httpsOff.get() + " (choose a free port in etc/org.conpaas.https.cfg, or set nodeBootstrapUrl in "
                + "etc/org.conpaas.director.cfg)");
    }

    /** {@link #unbootable(String, boolean, Settings)} with the settings in force. */
    Optional<String> unbootable(String nodeId, boolean sharedAgent) {
        return unbootable(nodeId, sharedAgent, settings);
    }

    @Override
    public void revoke(String nodeId) {
        tokens.revoke(nodeId);
    }

    @Override
    public Path agentRuntime(String token) {
        if (token == null || token.isBlank()) {
            throw new AuthenticationException("a node's one-time bootstrap token is required (Authorization: Bearer)");
        }
        String nodeId = tokens.redeem(token.strip()).orElseThrow(() -> new ForbiddenException(
                "the bootstrap token is unknown, used or expired"));
        Path archive = settings.agentArchive();
        if (!Files.isRegularFile(archive)) {
            throw new CloudException("the agent runtime " + archive + " is missing on the director");
        }
        LOG.info("node {} downloads the agent runtime", nodeId);
        return archive;
    }

    /** The agent download URL for nodes launched now. */
    URI agentUrl() {
        return agentUrl(settings.baseUrl());
    }

    private static URI agentUrl(URI base) {
        String text = base.toString();
        return URI.create((text.endsWith("/") ? text : text + "/") + AGENT_PATH);
    }

    private String caPem() {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pki.caCertificate().getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the director's CA cannot be encoded", e);
        }
    }

    private static Settings settings(BootstrapConfig config) {
        String archive = config.agentArchive().isBlank()
                ? Paths.get(System.getProperty("karaf.home", "."), "agent", "conpaas-agent.tar.gz").toString()
                : config.agentArchive();
        Path archivePath = archive.startsWith("file:") ? Paths.get(URI.create(archive)) : Paths.get(archive);
        // A bad value must not take the component (and with it the REST API) down: it is logged and the default used.
        URI fallback = URI.create("https://127.0.0.1:" + config.port() + "/api/v1/nodes/bootstrap");
        URI base = fallback;
        if (!config.nodeBootstrapUrl().isBlank()) {
            try {
                base = URI.create(config.nodeBootstrapUrl().strip());
                // HTTPS only: the token must not cross a network in clear; a quote could not go into the script
                if (!"https".equalsIgnoreCase(base.getScheme()) || base.getHost() == null
                        || base.toString().indexOf('\'') >= 0) {
                    throw new IllegalArgumentException("not an https URL");
                }
            } catch (IllegalArgumentException e) {
                LOG.error("nodeBootstrapUrl '{}' is not an https URL with a host; nodes use {}",
                        config.nodeBootstrapUrl(), fallback);
                base = fallback;
            }
        }
        int seconds = config.nodeBootstrapTokenSeconds();
        if (seconds < 1) {
            LOG.error("nodeBootstrapTokenSeconds must be at least 1, not {}; 900 is used", seconds);
            seconds = 900;
        }
        return new Settings(archivePath.toAbsolutePath(), base, base == fallback, Duration.ofSeconds(seconds));
    }
}
