package org.conpaas.service.flink.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.agent.ProcessRunner;
import org.conpaas.service.flink.agent.FlinkConfFiles.Kind;

/**
 * Starts and stops the node's Flink processes in place of Flink's shell scripts (there is no flink-dist): first
 * Flink's own BashJavaUtils computes the JVM's memory flags and the derived settings from flink-conf.yaml, then the
 * entry point runs with them on the agent's Java, as the agent's account. Logs go to the node's log folder.
 */
final class FlinkProcesses {

    /** The module flags Flink's default configuration gives Java 17. */
    static final List<String> JAVA_17_FLAGS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");
    private static final String RESULT = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final NodeEnvironment environment;

    FlinkProcesses(NodeEnvironment environment) {
        this.environment = environment;
    }

    static String processName(Kind kind) {
        return "flink-" + kind.id;
    }

    Path logFile(Kind kind) {
        return environment.logDir().resolve("flink-" + kind.id + ".log");
    }

    boolean isRunning(Kind kind) {
        return environment.processes().find(processName(kind)).map(ProcessRunner.ManagedProcess::isAlive)
                .orElse(false);
    }

    void start(Kind kind, Path lib, Path conf) throws IOException {
        if (isRunning(kind)) {
            return;
        }
        java.nio.file.Files.createDirectories(environment.logDir());
        String classPath = lib.toString() + "/*";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String log4j = "-Dlog4j.configurationFile=file:" + conf.resolve("log4j.properties");
        List<String> computed = resourceParams(kind, java, classPath, log4j, conf);
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:-UsePerfData"));
        command.addAll(JAVA_17_FLAGS);
        command.addAll(Arrays.asList(computed.get(0).trim().split("\\s+")));
        command.addAll(List.of(log4j, "-Dlog.file=" + logFile(kind), "-cp", classPath));
        if (kind == Kind.JOBMANAGER) {
            command.add("-Djdk.net.hosts.file=" + localHostsFile(conf));
            command.addAll(List.of("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                    "--configDir", conf.toString(), "--executionMode", "cluster"));
        } else {
            command.addAll(List.of("org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                    "--configDir", conf.toString()));
        }
        if (computed.size() > 1 && !computed.get(1).isBlank()) {
            command.addAll(Arrays.asList(computed.get(1).trim().split("\\s+")));
        }
        environment.processes().start(processName(kind), command, conf.getParent(), Map.of(),
                environment.logDir().resolve("flink-" + kind.id + ".out"));
    }

    /**
     * Flink 1.20 uploads a submitted job's jars to its BlobServer at "localhost" when the JobManager binds to one
     * address (FLINK-38109, fixed only in 2.x): the JobManager's JVM resolves "localhost" (and this machine's name)
     * to the node's address through a hosts file of its own, so submissions reach the BlobServer without binding it
     * to every address.
     */
    private Path localHostsFile(Path conf) throws IOException {
        String names = "localhost";
        try {
            String hostName = java.net.InetAddress.getLocalHost().getHostName();
            if (hostName.matches("[A-Za-z0-9.-]{1,253}") && !hostName.equals("localhost")) {
                names += " " + hostName;
            }
        } catch (java.net.UnknownHostException unnamed) {
            // then only localhost is mapped
        }
        Path hosts = conf.resolve("hosts");
        java.nio.file.Files.writeString(hosts, environment.address() + " " + names + "\n");
        return hosts;
    }

    void stop(Kind kind) {
        environment.processes().stop(processName(kind), STOP_GRACE);
    }

    /**
     * Flink's own computation of the process's memory: line 1 the JVM flags (-Xmx, -XX:MaxDirectMemorySize…),
     * line 2 the derived settings as -D arguments, which the entry points require.
     */
    private List<String> resourceParams(Kind kind, String java, String classPath, String log4j, Path conf) {
        String mode = kind == Kind.JOBMANAGER ? "GET_JM_RESOURCE_PARAMS" : "GET_TM_RESOURCE_PARAMS";
        ProcessRunner.ProcessResult result = environment.processes().run(List.of(java, "-Xmx64m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", log4j,
                "-Dlog.file=" + environment.logDir().resolve("flink-config.log"), "-cp", classPath,
                "org.apache.flink.runtime.util.bash.BashJavaUtils", mode, "--configDir", conf.toString()),
                conf.getParent(), Map.of(), Duration.ofSeconds(60));
        List<String> lines = result.output().lines().filter(l -> l.startsWith(RESULT))
                .map(l -> l.substring(RESULT.length())).toList();
        if (!result.succeeded() || lines.isEmpty()) {
            String output = result.output().strip();
            throw new IllegalStateException("Flink's memory settings do not fit (" + kind.id + "): "
                    + (output.length() > 500 ? output.substring(output.length() - 500) : output));
        }
        return lines;
    }
}
