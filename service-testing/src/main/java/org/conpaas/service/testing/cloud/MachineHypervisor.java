package org.conpaas.service.testing.cloud;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.conpaas.service.testing.LocalProcessRunner;

/**
 * The test side of a real cloud's API emulator (moto for EC2, an in-test OpenStack): it "boots" a machine the cloud
 * reports by running that machine's user data the way cloud-init would, as a process group of its own on the
 * machine's (loopback) address, and ends it when the cloud says the machine is gone. So the node's real bootstrap
 * (the director's rendered script: agent download with its one-time token, agent start) runs for each machine.
 *
 * <p>The one stand-in is the instance metadata service: the machine's address and folder reach the script through
 * the variables of the bootstrap contract ({@code CONPAAS_AGENT_ADDRESS}, {@code CONPAAS_NODE_DIR}; see
 * docs/cloud-drivers.md). Close it in the test's clean-up: it kills every machine still running.
 */
public final class MachineHypervisor implements AutoCloseable {

    private final Path root;
    private final LocalProcessRunner processes = new LocalProcessRunner();
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    /** @param root an empty folder of the test's; each machine gets {@code root/<machineId>}. */
    public MachineHypervisor(Path root) {
        this.root = root;
    }

    /**
     * Boots a machine: writes its user data to its folder and runs it with {@code /bin/sh} in the foreground, its
     * output in {@code <folder>/console.log}. A machine already booted is left alone (emulators are polled).
     */
    public void boot(String machineId, String address, String userData) {
        if (!machineId.matches("[A-Za-z0-9._-]{1,128}")) {
            throw new IllegalArgumentException("unusable machine id: " + machineId);
        }
        if (!running.add(machineId)) {
            return;
        }
        try {
            Path dir = Files.createDirectories(root.resolve(machineId));
            Files.writeString(dir.resolve("user-data"), userData == null ? "" : userData, StandardCharsets.UTF_8);
            processes.start(machineId, java.util.List.of("/bin/sh", "user-data"), dir, Map.of(
                    "CONPAAS_NODE_DIR", dir.resolve("node").toString(),
                    "CONPAAS_AGENT_ADDRESS", address,
                    "CONPAAS_AGENT_FOREGROUND", "1"), dir.resolve("console.log"));
        } catch (IOException e) {
            running.remove(machineId);
            throw new UncheckedIOException("cannot boot machine " + machineId + ": " + e.getMessage(), e);
        }
    }

    /** Ends a machine's processes (TERM, then KILL after a second); unknown or ended machines are ignored. */
    public void halt(String machineId) {
        if (running.remove(machineId)) {
            processes.stop(machineId, Duration.ofSeconds(1));
        }
    }

    /** Whether the machine was booted and not halted, and its boot script (or what it exec'd) still runs. */
    public boolean isRunning(String machineId) {
        return running.contains(machineId) && processes.find(machineId).map(p -> p.isAlive()).orElse(false);
    }

    /** The machines booted and not halted. */
    public Set<String> machines() {
        return Set.copyOf(running);
    }

    /** The console output of a machine (its boot script's output), for a failing test's message. */
    public String console(String machineId) {
        try {
            return Files.readString(root.resolve(machineId).resolve("console.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no console: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        for (String id : machines()) {
            halt(id);
        }
        processes.stopAll();
    }
}
