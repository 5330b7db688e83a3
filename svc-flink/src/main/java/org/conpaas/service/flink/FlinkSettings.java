package org.conpaas.service.flink;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a node needs to run its part of a Flink cluster, as the manager sends it to the agents: the JobManager's
 * address, memory per process, slots per TaskManager, checkpointing and restarts. Ports are fixed per node (each
 * node has its own address, so nodes never meet on a port; on one node the JobManager and TaskManager use distinct
 * ones).
 */
public record FlinkSettings(String jobManagerAddress, int jobManagerMemoryMb, int taskManagerMemoryMb, int slots,
        String checkpointDir, int checkpointIntervalMs, int restartAttempts, int restartDelayMs) {

    public static final int REST_PORT = 8081;
    public static final int JOBMANAGER_RPC_PORT = 6123;
    public static final int BLOB_PORT = 6124;
    public static final int JOBMANAGER_QUERY_PORT = 6125;
    public static final int TASKMANAGER_DATA_PORT = 6121;
    public static final int TASKMANAGER_RPC_PORT = 6122;
    public static final int TASKMANAGER_QUERY_PORT = 6126;

    public static final int MIN_JOBMANAGER_MB = 384;
    public static final int MIN_TASKMANAGER_MB = 512;
    public static final int MAX_MEMORY_MB = 65536;
    public static final int MAX_SLOTS = 64;

    public FlinkSettings {
        check(jobManagerMemoryMb, MIN_JOBMANAGER_MB, MAX_MEMORY_MB, "jobManagerMemoryMb");
        check(taskManagerMemoryMb, MIN_TASKMANAGER_MB, MAX_MEMORY_MB, "taskManagerMemoryMb");
        check(slots, 1, MAX_SLOTS, "slotsPerTaskManager");
        check(checkpointIntervalMs, 100, 3_600_000, "checkpointIntervalMs");
        check(restartAttempts, 0, 1_000_000, "restartAttempts");
        check(restartDelayMs, 0, 3_600_000, "restartDelayMs");
        checkpointDir = checkpointDir == null ? "" : checkpointDir.trim();
        if (!checkpointDir.isEmpty() && !checkpointDir.matches("[A-Za-z][A-Za-z0-9+.-]*://[^\\s]{1,1000}")) {
            throw new IllegalArgumentException("checkpointDir must be a URI such as file:///shared/checkpoints, not "
                    + checkpointDir);
        }
    }

    private static void check(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", not " + value);
        }
    }

    public Map<String, Object> toParams() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("jobManagerAddress", jobManagerAddress);
        params.put("jobManagerMemoryMb", jobManagerMemoryMb);
        params.put("taskManagerMemoryMb", taskManagerMemoryMb);
        params.put("slots", slots);
        params.put("checkpointDir", checkpointDir);
        params.put("checkpointIntervalMs", checkpointIntervalMs);
        params.put("restartAttempts", restartAttempts);
        params.put("restartDelayMs", restartDelayMs);
        return params;
    }

    public static FlinkSettings fromParams(Map<String, Object> params) {
        return new FlinkSettings(text(params, "jobManagerAddress"), number(params, "jobManagerMemoryMb"),
                number(params, "taskManagerMemoryMb"), number(params, "slots"),
                params.get("checkpointDir") == null ? "" : params.get("checkpointDir").toString(),
                number(params, "checkpointIntervalMs"), number(params, "restartAttempts"),
                number(params, "restartDelayMs"));
    }

    public FlinkSettings withCheckpointDir(String dir) {
        return new FlinkSettings(jobManagerAddress, jobManagerMemoryMb, taskManagerMemoryMb, slots, dir,
                checkpointIntervalMs, restartAttempts, restartDelayMs);
    }

    public FlinkSettings withJobManager(String address) {
        return new FlinkSettings(address, jobManagerMemoryMb, taskManagerMemoryMb, slots, checkpointDir,
                checkpointIntervalMs, restartAttempts, restartDelayMs);
    }

    private static String text(Map<String, Object> params, String key) {
        Object value = params.get(key);
        if (!(value instanceof String s) || !s.matches("[A-Za-z0-9.:-]{1,253}")) {
            throw new IllegalArgumentException(key + " must be an address, not " + value);
        }
        return s;
    }

    private static int number(Map<String, Object> params, String key) {
        Object value = params.get(key);
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException(key + " must be a number, not " + value);
        }
        return n.intValue();
    }
}
