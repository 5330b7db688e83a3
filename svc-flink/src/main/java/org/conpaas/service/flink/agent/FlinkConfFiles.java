package org.conpaas.service.flink.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.conpaas.service.flink.FlinkSettings;

/**
 * Writes the configuration folder of one Flink process (flink-conf.yaml, log4j.properties). The JobManager and the
 * TaskManager of the master node get a folder each, because their metrics query ports differ. Every listening
 * socket binds to the node's address and every port is fixed, so a node never takes another node's port.
 */
final class FlinkConfFiles {

    enum Kind {
        JOBMANAGER("jobmanager"), TASKMANAGER("taskmanager");

        final String id;

        Kind(String id) {
            this.id = id;
        }
    }

    /** A file appender appending (the RPC system's class loader reopens the file: truncating would lose lines). */
    static final String LOG4J = """
            rootLogger.level = INFO
            rootLogger.appenderRef.file.ref = MainAppender
            logger.pekko.name = org.apache.pekko
            logger.pekko.level = WARN
            logger.netty.name = org.apache.flink.shaded.netty4.io.netty
            logger.netty.level = WARN
            appender.main.name = MainAppender
            appender.main.type = File
            appender.main.append = true
            appender.main.fileName = ${sys:log.file}
            appender.main.layout.type = PatternLayout
            appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
            """;

    private FlinkConfFiles() {
    }

    static Map<String, String> settings(Kind kind, String address, Path processDir, String checkpoints,
            FlinkSettings s) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("jobmanager.rpc.address", s.jobManagerAddress());
        conf.put("jobmanager.rpc.port", String.valueOf(FlinkSettings.JOBMANAGER_RPC_PORT));
        conf.put("jobmanager.bind-host", address);
        conf.put("rest.address", s.jobManagerAddress());
        conf.put("rest.bind-address", address);
        conf.put("rest.port", String.valueOf(FlinkSettings.REST_PORT));
        conf.put("blob.server.port", String.valueOf(FlinkSettings.BLOB_PORT));
        conf.put("taskmanager.host", address);
        conf.put("taskmanager.bind-host", address);
        conf.put("taskmanager.rpc.port", String.valueOf(FlinkSettings.TASKMANAGER_RPC_PORT));
        conf.put("taskmanager.data.port", String.valueOf(FlinkSettings.TASKMANAGER_DATA_PORT));
        conf.put("metrics.internal.query-service.port", String.valueOf(kind == Kind.JOBMANAGER
                ? FlinkSettings.JOBMANAGER_QUERY_PORT : FlinkSettings.TASKMANAGER_QUERY_PORT));
        // memory for small nodes: the process sizes are the service type's settings, some parts below them are
        // trimmed so that more of a small TaskManager is task heap (not the framework's off-heap memory: batch
        // jobs' sort-merge shuffle takes 64 MB of it and waits for ever when it cannot)
        conf.put("jobmanager.memory.process.size", s.jobManagerMemoryMb() + "m");
        conf.put("jobmanager.memory.jvm-metaspace.size", "128m");
        conf.put("jobmanager.memory.jvm-overhead.min", "64m");
        conf.put("jobmanager.memory.off-heap.size", "64m");
        conf.put("taskmanager.memory.process.size", s.taskManagerMemoryMb() + "m");
        conf.put("taskmanager.memory.jvm-metaspace.size", "128m");
        conf.put("taskmanager.memory.jvm-overhead.min", "64m");
        conf.put("taskmanager.memory.managed.fraction", "0.1");
        conf.put("taskmanager.memory.network.min", "32m");
        conf.put("taskmanager.memory.network.max", "64m");
        conf.put("taskmanager.numberOfTaskSlots", String.valueOf(s.slots()));
        // a job's subtasks spread over the TaskManagers: losing one worker costs a job few slots, not all of them
        conf.put("cluster.evenly-spread-out-slots", "true");
        // jobs survive losing a TaskManager: periodic checkpoints and restarts from the last one
        conf.put("execution.checkpointing.interval", s.checkpointIntervalMs() + "ms");
        conf.put("execution.checkpointing.storage", "filesystem");
        conf.put("execution.checkpointing.dir", checkpoints);
        // state up to 1 MB per task travels inside the checkpoint's metadata, which only the JobManager writes:
        // small jobs recover even where the TaskManagers share no folder with it
        conf.put("state.storage.fs.memory-threshold", "1mb");
        conf.put("restart-strategy.type", "fixed-delay");
        conf.put("restart-strategy.fixed-delay.attempts", String.valueOf(s.restartAttempts()));
        conf.put("restart-strategy.fixed-delay.delay", s.restartDelayMs() + "ms");
        // a TaskManager that vanished without saying goodbye is noticed within seconds, not Flink's 50
        conf.put("heartbeat.timeout", "20000");
        conf.put("heartbeat.interval", "5000");
        conf.put("io.tmp.dirs", processDir.resolve("tmp").toString());
        conf.put("web.tmpdir", processDir.resolve("tmp").resolve("web").toString());
        conf.put("web.upload.dir", processDir.resolve("tmp").resolve("upload").toString());
        conf.put("fs.overwrite-files", "true");
        return conf;
    }

    /** Writes the folder's files and returns the conf folder. */
    static Path write(Path processDir, Map<String, String> settings) throws IOException {
        Path conf = processDir.resolve("conf");
        Files.createDirectories(conf);
        Files.createDirectories(processDir.resolve("tmp").resolve("upload"));
        StringBuilder yaml = new StringBuilder("# written by the ConPaaS Flink agent; rewritten at every start\n");
        settings.forEach((key, value) -> yaml.append(key).append(": ").append(value).append('\n'));
        Files.writeString(conf.resolve("flink-conf.yaml"), yaml);
        Files.writeString(conf.resolve("log4j.properties"), LOG4J);
        return conf;
    }
}
