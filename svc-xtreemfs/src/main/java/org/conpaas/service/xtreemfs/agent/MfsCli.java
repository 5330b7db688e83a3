package org.conpaas.service.xtreemfs.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.agent.ProcessRunner.ProcessResult;
import org.conpaas.service.xtreemfs.XtreemfsOperations;

/** What the master knows, read with mfscli's plain output (tab-separated, one record a line). */
final class MfsCli {

    private final NodeEnvironment environment;

    MfsCli(NodeEnvironment environment) {
        this.environment = environment;
    }

    /**
     * The connected chunkservers: address, chunks and bytes on regular disks, and those on disks marked for removal
     * ({@code -SCS}: ip, port, id, label, version, load, maintenance, chunks, used, total, then for the marked disks
     * a readiness word, chunks, used, total).
     */
    List<Map<String, Object>> chunkservers() {
        List<Map<String, Object>> servers = new ArrayList<>();
        for (String line : query("-SCS").split("\n")) {
            String[] f = line.split("\t");
            if (f.length < 14 || !f[0].startsWith("chunk servers")) {
                continue;
            }
            Map<String, Object> server = new LinkedHashMap<>();
            server.put("address", f[1]);
            server.put("chunks", number(f[7]));
            server.put("usedBytes", number(f[8]));
            server.put("totalBytes", number(f[9]));
            server.put("markedChunks", number(f[11]));
            server.put("markedUsedBytes", number(f[12]));
            server.put("markedTotalBytes", number(f[13]));
            servers.add(server);
        }
        return servers;
    }

    /**
     * The chunk classes counting only copies on regular disks ({@code -SIC -m 1}): missing, endangered and undergoal
     * all 0 means no chunk needs a disk marked for removal any more.
     */
    Map<String, Object> regularChunkHealth() {
        Map<String, Object> health = new LinkedHashMap<>();
        for (String line : query("-SIC", "-m", "1").split("\n")) {
            String[] f = line.split("\t");
            if (f.length >= 3 && f[1].startsWith("chunkclass ")) {
                String name = f[1].substring("chunkclass ".length()).replace(":", "").replace(' ', '_');
                health.put(name, number(f[2]));
            }
        }
        return health;
    }

    private String query(String... args) {
        List<String> command = new ArrayList<>(List.of("mfscli", "-H", environment.address(), "-P",
                String.valueOf(XtreemfsOperations.MASTER_CLIENT_PORT), "-p", "-n"));
        command.addAll(List.of(args));
        ProcessResult result = environment.processes().run(command, environment.workDir(), Map.of(),
                Duration.ofSeconds(20));
        if (!result.succeeded()) {
            throw new IllegalStateException("mfscli " + String.join(" ", args) + " failed: " + result.output().trim());
        }
        return result.output();
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
