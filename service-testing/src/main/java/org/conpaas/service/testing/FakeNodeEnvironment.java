package org.conpaas.service.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.agent.AgentPlugin;
import org.conpaas.api.agent.ProcessRunner;
import org.conpaas.service.support.code.CodeStore;

/**
 * A node as an agent plug-in sees it, in a test folder: {@code logs/}, {@code cache/} and {@code media/} below the
 * work folder, the given address and properties, and a process runner (by default real processes through
 * {@link LocalProcessRunner}). Code versions are kept below {@code code/} by the agent's own {@link CodeStore};
 * {@link #activateCode} does what the agent does when the director activates a version.
 */
public final class FakeNodeEnvironment implements NodeEnvironment {

    private final String nodeId;
    private final String role;
    private final String address;
    private final Path workDir;
    private final Map<String, String> properties;
    private final ProcessRunner processes;

    public FakeNodeEnvironment(String nodeId, String role, String address, Path workDir,
            Map<String, String> properties, ProcessRunner processes) {
        this.nodeId = nodeId;
        this.role = role;
        this.address = address;
        this.workDir = workDir;
        this.properties = Map.copyOf(properties);
        this.processes = processes;
        try {
            Files.createDirectories(logDir());
            Files.createDirectories(cacheDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public FakeNodeEnvironment(String nodeId, String address, Path workDir, ProcessRunner processes) {
        this(nodeId, "node", address, workDir, Map.of(), processes);
    }

    @Override public String nodeId() { return nodeId; }
    @Override public String role() { return role; }
    @Override public long applicationId() { return 1; }
    @Override public int serviceId() { return 1; }
    @Override public String address() { return address; }
    @Override public Path workDir() { return workDir; }
    @Override public Path logDir() { return workDir.resolve("logs"); }
    @Override public Path cacheDir() { return workDir.resolve("cache"); }
    @Override public Path mediaDir() { return workDir.resolve("media"); }
    @Override public Path codeDir() { return code().current(); }
    @Override public Map<String, String> properties() { return properties; }

    @Override
    public Optional<String> codeVersion() {
        try {
            return code().active();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public CodeStore code() {
        return new CodeStore(workDir.resolve("code"));
    }

    /**
     * Stores the archive as {@code version}, switches to it and tells the plug-in, as the agent does: a plug-in that
     * refuses the version is switched back to the one before (and told so) and its failure is thrown.
     */
    public void activateCode(AgentPlugin plugin, String version, Path archive) throws Exception {
        CodeStore code = code();
        code.store(version, archive);
        Optional<String> before = code.activate(version);
        try {
            plugin.onCodeActivated(version);
        } catch (Exception refused) {
            if (before.isPresent()) {
                code.activate(before.get());
                plugin.onCodeActivated(before.get());
            }
            throw refused;
        }
    }
    @Override public ProcessRunner processes() { return processes; }
}
