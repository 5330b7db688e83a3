package org.conpaas.service.flink.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conpaas.service.flink.FlinkOperations;
import org.conpaas.service.flink.agent.FlinkConfFiles.Kind;

/** What the master's agent asks its JobManager: readiness, registered TaskManagers, slots and jobs. */
final class JobAdmin {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(250);
    /** States in which a job holds (or waits for) slots. */
    private static final List<String> ACTIVE = List.of("CREATED", "RUNNING", "RESTARTING", "INITIALIZING",
            "FAILING", "CANCELLING");

    private final FlinkRest rest;

    JobAdmin(FlinkRest rest) {
        this.rest = rest;
    }

    /** Waits until the JobManager's REST API answers; fails early with its log's last lines when it died. */
    void awaitRest(FlinkProcesses processes) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!processes.isRunning(Kind.JOBMANAGER)) {
                throw new IllegalStateException("Flink's JobManager stopped while starting: "
                        + lastLines(processes.logFile(Kind.JOBMANAGER)));
            }
            try {
                rest.overview();
                return;
            } catch (IOException notYet) {
                last = notYet;
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IllegalStateException("Flink's JobManager did not answer within " + READY_TIMEOUT.toSeconds()
                + " s: " + (last == null ? "" : last.getMessage()));
    }

    /**
     * Waits until exactly {@code count} TaskManagers are registered with {@code slots} slots in all (a TaskManager
     * is counted before its slots are: both must match).
     */
    Map<String, Object> awaitTaskManagers(int count, int slots, FlinkProcesses processes)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> overview = overview();
        while (number(overview, "taskmanagers") != count || number(overview, "slotsTotal") != slots) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Flink's JobManager has " + overview.get("taskmanagers")
                        + " TaskManagers with " + overview.get("slotsTotal") + " slots registered after "
                        + READY_TIMEOUT.toSeconds() + " s, not " + count + " with " + slots);
            }
            if (!processes.isRunning(Kind.JOBMANAGER)) {
                throw new IllegalStateException("Flink's JobManager stopped: "
                        + lastLines(processes.logFile(Kind.JOBMANAGER)));
            }
            Thread.sleep(POLL.toMillis());
            overview = overview();
        }
        return overview;
    }

    /** Slots, TaskManagers, the Flink version and the active jobs with the slots each needs. */
    Map<String, Object> overview() throws IOException, InterruptedException {
        Map<String, Object> flink = rest.overview();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("flinkVersion", flink.get("flink-version"));
        out.put("taskmanagers", number(flink, "taskmanagers"));
        out.put("slotsTotal", number(flink, "slots-total"));
        out.put("slotsAvailable", number(flink, "slots-available"));
        List<Map<String, Object>> active = new ArrayList<>();
        for (Map<String, Object> job : rest.jobs()) {
            if (ACTIVE.contains(String.valueOf(job.get("state")))) {
                String id = String.valueOf(job.get("jid"));
                active.add(Map.of("id", id, "name", String.valueOf(job.get("name")), "state",
                        String.valueOf(job.get("state")), "slots", slotsOf(id)));
            }
        }
        out.put("activeJobs", active);
        return out;
    }

    List<Map<String, Object>> list() throws IOException, InterruptedException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> job : rest.jobs()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", String.valueOf(job.get("jid")));
            row.put("name", String.valueOf(job.get("name")));
            row.put("state", String.valueOf(job.get("state")));
            row.put("startTime", job.get("start-time"));
            out.add(row);
        }
        return out;
    }

    Map<String, Object> submit(Path jar, Map<String, Object> params) throws IOException, InterruptedException {
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("submit needs the job's jar");
        }
        Object parallelism = params.get(FlinkOperations.PARALLELISM);
        String jarId = rest.upload(jar, "job.jar");
        try {
            String jobId = rest.run(jarId, (String) params.get(FlinkOperations.ENTRY_CLASS),
                    FlinkAgentPlugin.strings(params.get(FlinkOperations.ARGS)),
                    parallelism instanceof Number n ? n.intValue() : 0);
            return Map.of(FlinkOperations.JOB_ID, jobId);
        } catch (FlinkRest.FlinkException refused) {
            throw new IllegalArgumentException(refused.getMessage(), refused);
        } finally {
            rest.deleteJar(jarId);
        }
    }

    Map<String, Object> cancel(String jobId) throws IOException, InterruptedException {
        if (!jobId.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("a Flink job id is 32 hexadecimal digits, not " + jobId);
        }
        try {
            rest.cancel(jobId);
        } catch (FlinkRest.FlinkException refused) {
            throw new IllegalArgumentException(refused.status == 404 ? "Flink has no job " + jobId
                    : refused.getMessage(), refused);
        }
        return Map.of(FlinkOperations.JOB_ID, jobId);
    }

    /** With slot sharing (Flink's default) a job needs as many slots as its widest operator has subtasks. */
    @SuppressWarnings("unchecked")
    private int slotsOf(String jobId) throws IOException, InterruptedException {
        int slots = 0;
        Object vertices = rest.job(jobId).get("vertices");
        if (vertices instanceof List<?> list) {
            for (Object vertex : list) {
                slots = Math.max(slots, number((Map<String, Object>) vertex, "parallelism"));
            }
        }
        return slots;
    }

    private static int number(Map<String, Object> map, String key) {
        return map.get(key) instanceof Number n ? n.intValue() : 0;
    }

    private static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }
}
