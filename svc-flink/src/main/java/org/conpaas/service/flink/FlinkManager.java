package org.conpaas.service.flink;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.conpaas.api.AgentException;
import org.conpaas.api.ConflictException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceNode;
import org.conpaas.service.support.text.Words;

/**
 * One Flink service: the master node runs the JobManager (REST API and dashboard, the service's URL) and a
 * TaskManager, workers run a TaskManager each. Scaling completes only when the JobManager has registered (or
 * unregistered) the TaskManagers; jobs and slots are read from the master's JobManager through its agent.
 */
final class FlinkManager implements ServiceManager {

    static final String MASTER_KEY = "master";
    static final String CHECKPOINTS_KEY = "checkpointDir";
    static final int MAX_ARGS = 200;
    static final int MAX_ARG_CHARS = 10_000;

    private final ServiceContext context;
    private final FlinkSettings configured;
    private final FlinkDistribution distribution;

    FlinkManager(ServiceContext context, FlinkSettings configured, FlinkDistribution distribution) {
        this.context = context;
        this.configured = configured;
        this.distribution = distribution;
    }

    @Override
    public void onStart(List<ServiceNode> nodes) throws Exception {
        ServiceNode master = nodes.stream().filter(n -> n.role().equals(FlinkServiceType.MASTER)).findFirst()
                .orElse(nodes.get(0));
        startCluster(master, nodes, nodes);
    }

    /**
     * A JobManager on {@code master} and a TaskManager on each of {@code members} (the master among them), Flink
     * first sent to {@code newcomers}: the start of the service, and its restart on a replacement master.
     */
    private void startCluster(ServiceNode master, List<ServiceNode> members, List<ServiceNode> newcomers)
            throws Exception {
        int sent = distribution.install(newcomers, context);
        context.log().info("Flink " + distribution.lib().version() + " on " + newcomers.size() + " node(s) ("
                + sent + " jars sent)");
        FlinkSettings settings = configured.withJobManager(master.address());
        Object started = context.agents().call(master, FlinkOperations.START_JOBMANAGER, params(master, settings));
        String checkpoints = started instanceof Map<?, ?> map && map.get(CHECKPOINTS_KEY) != null
                ? map.get(CHECKPOINTS_KEY).toString() : settings.checkpointDir();
        context.state().put(MASTER_KEY, master.id());
        context.state().put(CHECKPOINTS_KEY, checkpoints);
        startTaskManagers(members);
        Map<String, Object> overview = awaitTaskManagers(master, members.size(),
                members.size() * configured.slots());
        context.publishUrl("http://" + master.address() + ":" + FlinkSettings.REST_PORT + "/");
        context.log().info("JobManager on " + master.id() + ", " + overview.get("taskmanagers") + " TaskManager(s), "
                + overview.get("slotsTotal") + " slots; checkpoints in " + checkpoints);
    }

    /**
     * A failed master took Flink's JobManager with it, and with it the running jobs: Flink without high availability
     * keeps them in the JobManager alone. The workers' TaskManagers are stopped (they would only retry the dead
     * address); the replacement master ({@link #onAddNodes}) starts a new JobManager and they join it. Failed
     * workers need nothing: the JobManager notices their TaskManagers' loss itself.
     */
    @Override
    public void onNodesFailed(List<ServiceNode> failed) {
        String masterId = context.state().get(MASTER_KEY).orElse(null);
        if (failed.stream().noneMatch(n -> n.id().equals(masterId))) {
            return;
        }
        context.state().remove(MASTER_KEY);
        List<String> gone = failed.stream().map(ServiceNode::id).toList();
        stopTaskManagers(context.nodes().stream().filter(n -> !gone.contains(n.id())).toList());
        context.log().warn("the master " + masterId + " failed: Flink's JobManager is gone, and with it the jobs "
                + "that were running (submit them again); a replacement master starts a new JobManager and the "
                + "workers join it");
    }

    @Override
    public void onAddNodes(List<ServiceNode> nodes) throws Exception {
        Optional<ServiceNode> newMaster = nodes.stream()
                .filter(n -> n.role().equals(FlinkServiceType.MASTER)).findFirst();
        if (context.state().get(MASTER_KEY).isEmpty() && newMaster.isPresent()) {
            restartOnNewMaster(newMaster.get(), nodes);
            return;
        }
        ServiceNode master = master();
        Map<String, Object> before = overview(master);
        try {
            distribution.install(nodes, context);
            startTaskManagers(nodes);
            Map<String, Object> overview = awaitTaskManagers(master, number(before, "taskmanagers") + nodes.size(),
                    number(before, "slotsTotal") + nodes.size() * configured.slots());
            context.log().info("added " + nodes.size() + " TaskManager(s): " + overview.get("slotsTotal") + " slots");
        } catch (Exception e) {
            stopTaskManagers(nodes);
            throw e;
        }
    }

    /** The replacement of a failed master: a new JobManager, and every node's TaskManager (re)joining it. */
    private void restartOnNewMaster(ServiceNode master, List<ServiceNode> added) throws Exception {
        List<String> failed = context.failedNodes().stream().map(ServiceNode::id).toList();
        Map<String, ServiceNode> members = new LinkedHashMap<>();
        context.nodes().stream().filter(n -> !failed.contains(n.id())).forEach(n -> members.put(n.id(), n));
        added.forEach(n -> members.put(n.id(), n));
        List<ServiceNode> all = List.copyOf(members.values());
        stopTaskManagers(all.stream().filter(n -> !added.contains(n)).toList());
        startCluster(master, all, added);
    }

    @Override
    public void checkRemoveNodes(Map<String, Integer> roles) {
        if (roles.getOrDefault(FlinkServiceType.MASTER, 0) > 0) {
            throw new InvalidInputException("Cannot remove the master node.");
        }
        int removing = roles.getOrDefault(FlinkServiceType.WORKER, 0);
        if (removing <= 0) {
            return;
        }
        Map<String, Object> overview = overview(master());
        int taskManagers = number(overview, "taskmanagers");
        int total = number(overview, "slotsTotal");
        int left = taskManagers == 0 ? 0 : total - removing * (total / taskManagers);
        int needed = 0;
        for (Map<String, Object> job : JobViews.activeJobs(overview)) {
            needed += number(job, "slots");
            if (needed > left) {
                throw new ConflictException("Removing " + removing + " worker(s) would leave " + left
                        + " slots, but the running job '" + job.get("name") + "' (" + job.get("id") + ") needs "
                        + job.get("slots") + " slot(s)" + (needed > number(job, "slots") ? " beside the other "
                        + "running jobs (" + needed + " in all)" : "") + "; cancel it or remove fewer workers");
            }
        }
    }

    @Override
    public void onRemoveNodes(List<ServiceNode> removed) throws Exception {
        ServiceNode master = master();
        Map<String, Object> before = overview(master);
        int taskManagers = number(before, "taskmanagers");
        int slotsEach = taskManagers == 0 ? 0 : number(before, "slotsTotal") / taskManagers;
        stopTaskManagers(removed);
        try {
            awaitTaskManagers(master, taskManagers - removed.size(),
                    number(before, "slotsTotal") - removed.size() * slotsEach);
        } catch (Exception e) {
            startTaskManagers(removed);
            throw e;
        }
        context.log().info("removed " + removed.size() + " TaskManager(s); running jobs restart from their last "
                + "checkpoint on the remaining slots");
    }

    @Override
    public Object invoke(String operation, Map<String, Object> params, Map<String, UploadedFile> files)
            throws Exception {
        return switch (operation) {
            case FlinkServiceType.SUBMIT_JOB -> submit(params, files.get(FlinkServiceType.JAR));
            case FlinkServiceType.LIST_JOBS -> call(master(), FlinkOperations.JOBS, Map.of());
            case FlinkServiceType.CANCEL_JOB -> cancel(String.valueOf(params.get(FlinkServiceType.JOB_ID)));
            case FlinkServiceType.GET_INFO -> info();
            default -> throw new InvalidInputException("unknown flink operation " + operation);
        };
    }

    private Object submit(Map<String, Object> params, UploadedFile jar) {
        if (jar == null) {
            throw new InvalidInputException(FlinkServiceType.JAR, "submit_job needs the job's jar");
        }
        String entryClass = JarCheck.entryClass(jar, (String) params.get(FlinkServiceType.ENTRY_CLASS));
        List<String> args = args((String) params.get(FlinkServiceType.ARGS));
        Map<String, Object> request = new HashMap<>();
        request.put(FlinkOperations.ENTRY_CLASS, entryClass);
        request.put(FlinkOperations.ARGS, args);
        ServiceNode master = master();
        Object parallelism = params.get(FlinkServiceType.PARALLELISM);
        if (parallelism != null) {
            int wanted = ((Number) parallelism).intValue();
            Map<String, Object> overview = overview(master);
            int free = number(overview, "slotsAvailable");
            if (wanted < 1 || wanted > 10_000) {
                throw new InvalidInputException(FlinkServiceType.PARALLELISM, "parallelism must be from 1 to 10000, "
                        + "not " + wanted);
            }
            if (wanted > free) {
                throw new ConflictException("parallelism " + wanted + " needs " + wanted + " free slots, but only "
                        + free + " of " + overview.get("slotsTotal") + " are free; add workers or lower it");
            }
            request.put(FlinkOperations.PARALLELISM, wanted);
        }
        try {
            Object answer = context.agents().call(master, FlinkOperations.SUBMIT, request,
                    Map.of(FlinkOperations.JAR, jar.path()));
            String jobId = answer instanceof Map<?, ?> map ? String.valueOf(map.get(FlinkOperations.JOB_ID)) : "";
            context.log().info("submitted job " + jobId + " (" + entryClass + ")");
            return Map.of(FlinkServiceType.JOB_ID, jobId);
        } catch (AgentException refused) {
            throw new InvalidInputException(FlinkServiceType.JAR, "Flink did not run the job: "
                    + refused.getMessage());
        }
    }

    private Object cancel(String jobId) {
        if (!jobId.matches("[0-9a-f]{32}")) {
            throw new InvalidInputException(FlinkServiceType.JOB_ID, "a Flink job id is 32 hexadecimal digits, "
                    + "not " + (jobId.length() > 64 ? jobId.substring(0, 64) + "…" : jobId));
        }
        boolean known = JobViews.jobs(call(master(), FlinkOperations.JOBS, Map.of())).stream()
                .anyMatch(job -> jobId.equals(job.get("id")));
        if (!known) {
            throw new InvalidInputException(FlinkServiceType.JOB_ID, "the service has no job " + jobId);
        }
        Object answer = call(master(), FlinkOperations.CANCEL, Map.of(FlinkOperations.JOB_ID, jobId));
        context.log().info("cancelled job " + jobId);
        return answer;
    }

    private Map<String, Object> info() throws Exception {
        Map<String, Object> overview = overview(master());
        Map<String, Object> info = new LinkedHashMap<>(overview);
        info.put("master", context.state().get(MASTER_KEY).orElse(""));
        info.put("checkpointDir", context.state().get(CHECKPOINTS_KEY).orElse(""));
        info.put("dashboard", "http://" + master().address() + ":" + FlinkSettings.REST_PORT + "/");
        return info;
    }

    static List<String> args(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<String> args;
        try {
            args = Words.split(text); // as a shell would: "two words" is one argument
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(FlinkServiceType.ARGS, "args: " + e.getMessage());
        }
        if (args.size() > MAX_ARGS || text.length() > MAX_ARG_CHARS) {
            throw new InvalidInputException(FlinkServiceType.ARGS, "at most " + MAX_ARGS + " arguments of "
                    + MAX_ARG_CHARS + " characters in all");
        }
        return args;
    }

    private void startTaskManagers(List<ServiceNode> nodes) throws AgentException, java.io.IOException {
        FlinkSettings settings = configured.withJobManager(master().address())
                .withCheckpointDir(context.state().get(CHECKPOINTS_KEY).orElse(configured.checkpointDir()));
        for (ServiceNode node : nodes) {
            context.agents().call(node, FlinkOperations.START_TASKMANAGER, params(node, settings));
        }
    }

    private void stopTaskManagers(List<ServiceNode> nodes) {
        for (ServiceNode node : nodes) {
            try {
                context.agents().call(node, FlinkOperations.STOP_TASKMANAGER, Map.of());
            } catch (AgentException e) {
                context.log().warn("could not stop the TaskManager of " + node.id() + ": " + e.getMessage());
            }
        }
    }

    private Map<String, Object> awaitTaskManagers(ServiceNode master, int count, int slots) throws AgentException {
        return JobViews.map(context.agents().call(master, FlinkOperations.AWAIT_TASKMANAGERS,
                Map.of(FlinkOperations.COUNT, count, FlinkOperations.SLOTS, slots)));
    }

    private Map<String, Object> overview(ServiceNode master) {
        return JobViews.map(call(master, FlinkOperations.OVERVIEW, Map.of()));
    }

    private Object call(ServiceNode node, String operation, Map<String, Object> params) {
        try {
            return context.agents().call(node, operation, params);
        } catch (AgentException e) {
            throw new ConflictException("Flink's JobManager on " + node.id() + " did not answer: " + e.getMessage());
        }
    }

    private Map<String, Object> params(ServiceNode node, FlinkSettings settings) throws java.io.IOException {
        Map<String, Object> params = new HashMap<>();
        params.put(FlinkOperations.VERSION, distribution.lib().version());
        params.put(FlinkOperations.SETTINGS, settings.toParams());
        distribution.sharedLib(node, context).ifPresent(lib -> params.put(FlinkOperations.LIB_DIR, lib));
        return params;
    }

    private ServiceNode master() {
        String id = context.state().get(MASTER_KEY).orElse(null);
        return context.nodes().stream().filter(n -> n.id().equals(id)).findFirst()
                .or(() -> context.nodes().stream().filter(n -> n.role().equals(FlinkServiceType.MASTER)).findFirst())
                .orElseThrow(() -> new ConflictException("the Flink service has no master node"));
    }

    private static int number(Map<String, Object> map, String key) {
        return map.get(key) instanceof Number n ? n.intValue() : 0;
    }
}
