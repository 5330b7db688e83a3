package org.conpaas.service.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.agent.ProcessRunner;

/**
 * A node as an agent plug-in sees it, in a test folder: {@code logs/}, {@code cache/} and {@code media/} below the
 * work folder, the given address and properties, and a process runner (by default real processes through
 * {@link LocalProcessRunner}).
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
    @Override public Map<String, String> properties() { return properties; }
    @Override public ProcessRunner processes() { return processes; }
}
