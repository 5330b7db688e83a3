package org.conpaas.agent.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.conpaas.agent.core.process.SetsidProcessRunner;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.agent.ProcessRunner;
import org.conpaas.service.support.code.CodeStore;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/** The node as plug-ins see it, built from the agent's framework properties. */
@Component(service = NodeEnvironment.class)
public final class AgentNodeEnvironment implements NodeEnvironment {

    /** How long services get to stop cleanly when the agent shuts down. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final AgentConfiguration config;
    private final SetsidProcessRunner processes = new SetsidProcessRunner();

    @Activate
    public AgentNodeEnvironment(BundleContext context) {
        this(FrameworkSettings.read(context));
    }

    public AgentNodeEnvironment(AgentConfiguration config) {
        this.config = config;
        try {
            for (Path dir : new Path[] {config.logDir(), config.cacheDir(), config.uploadDir(), config.mediaDir()}) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the agent's folders under " + config.workDir(), e);
        }
    }

    @Deactivate
    void deactivate() {
        processes.stopAll(SHUTDOWN_GRACE);
    }

    @Override
    public String nodeId() {
        return config.nodeId();
    }

    @Override
    public String role() {
        return config.role();
    }

    @Override
    public long applicationId() {
        return config.applicationId();
    }

    @Override
    public int serviceId() {
        return config.serviceId();
    }

    @Override
    public String address() {
        return config.address();
    }

    @Override
    public Path workDir() {
        return config.workDir();
    }

    @Override
    public Path logDir() {
        return config.logDir();
    }

    @Override
    public Path cacheDir() {
        return config.cacheDir();
    }

    @Override
    public Path mediaDir() {
        return config.mediaDir();
    }

    @Override
    public Path codeDir() {
        return new CodeStore(config.codeDir()).current();
    }

    @Override
    public Optional<String> codeVersion() {
        try {
            return new CodeStore(config.codeDir()).active();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the node's active code version", e);
        }
    }

    @Override
    public Map<String, String> properties() {
        return config.properties();
    }

    @Override
    public ProcessRunner processes() {
        return processes;
    }
}
