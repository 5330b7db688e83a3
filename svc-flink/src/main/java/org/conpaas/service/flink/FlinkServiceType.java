package org.conpaas.service.flink;

import java.util.List;
import java.util.Map;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.model.ParameterDescriptor;
import org.conpaas.api.model.ParameterType;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceType;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Apache Flink: a JobManager with its REST API and dashboard on the master node, a TaskManager on every node. A
 * new service starts as one node running both; workers add TaskManagers. Users submit jobs through the dashboard
 * at the service's URL or through the operations below.
 */
@Component(service = ServiceType.class, property = ServiceType.PROPERTY + "=" + FlinkServiceType.NAME,
        configurationPid = FlinkServiceType.PID)
@Designate(ocd = FlinkServiceType.Config.class)
public class FlinkServiceType implements ServiceType {

    public static final String NAME = "flink";
    public static final String PID = "org.conpaas.service.flink";
    public static final String MASTER = "master";
    public static final String WORKER = "worker";

    public static final String SUBMIT_JOB = "submit_job";
    public static final String LIST_JOBS = "list_jobs";
    public static final String CANCEL_JOB = "cancel_job";
    public static final String GET_INFO = "get_flink_info";
    /** Parameters of the operations. */
    public static final String JAR = "jar";
    public static final String ENTRY_CLASS = "entry_class";
    public static final String ARGS = "args";
    public static final String PARALLELISM = "parallelism";
    public static final String JOB_ID = "job_id";

    @ObjectClassDefinition(name = "ConPaaS Flink service", description = "Memory, slots and fault tolerance of "
            + "every Flink service's nodes; applied to Flink processes started afterwards")
    public @interface Config {
        @AttributeDefinition(description = "The JobManager's process size in MB (at least 384)")
        int jobManagerMemoryMb() default 512;

        @AttributeDefinition(description = "Each TaskManager's process size in MB (at least 512)")
        int taskManagerMemoryMb() default 768;

        @AttributeDefinition(description = "Task slots per TaskManager (one TaskManager per node)")
        int slotsPerTaskManager() default 2;

        @AttributeDefinition(description = "Where checkpoints go, a URI every node reaches (file:///mnt/shared/cp "
                + "on a shared volume); empty: a folder of the master node")
        String checkpointDir() default "";

        @AttributeDefinition(description = "Checkpoint interval of jobs that set none, in ms")
        int checkpointIntervalMs() default 2000;

        @AttributeDefinition(description = "Restarts of a failing job (fixed delay) before it fails")
        int restartAttempts() default 20;

        @AttributeDefinition(description = "Delay between restarts, in ms")
        int restartDelayMs() default 1000;
    }

    private static final List<OperationDescriptor> OPERATIONS = List.of(
            new OperationDescriptor(SUBMIT_JOB, "Upload a Flink job's jar and run it; answers the job id", List.of(
                    ParameterDescriptor.required(JAR, ParameterType.FILE, "The job's jar"),
                    ParameterDescriptor.optional(ENTRY_CLASS, ParameterType.STRING,
                            "The class with main(); default: the jar manifest's Main-Class"),
                    ParameterDescriptor.optional(ARGS, ParameterType.STRING,
                            "The program's arguments, separated by white space; quote one that contains any (\"two words\")"),
                    ParameterDescriptor.optional(PARALLELISM, ParameterType.INTEGER,
                            "Subtasks per operator; at most the free slots")), false),
            new OperationDescriptor(LIST_JOBS, "Every job: id, name, state, start time", List.of(), true),
            new OperationDescriptor(CANCEL_JOB, "Cancel a job", List.of(
                    ParameterDescriptor.required(JOB_ID, ParameterType.STRING, "The job's id")), false),
            new OperationDescriptor(GET_INFO, "Flink version, TaskManagers, total and free slots, active jobs",
                    List.of(), true));

    private final FlinkSettings settings;
    private final FlinkDistribution distribution;

    @Activate
    public FlinkServiceType(Config config, BundleContext context) {
        this.settings = new FlinkSettings("0.0.0.0", config.jobManagerMemoryMb(), config.taskManagerMemoryMb(),
                config.slotsPerTaskManager(), config.checkpointDir(), config.checkpointIntervalMs(),
                config.restartAttempts(), config.restartDelayMs());
        this.distribution = new FlinkDistribution(context);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Apache Flink: a JobManager with its dashboard and TaskManagers that run stream and batch jobs";
    }

    @Override
    public List<String> roles() {
        return List.of(MASTER, WORKER);
    }

    @Override
    public String defaultRole() {
        return WORKER;
    }

    /** The first node runs the JobManager and a TaskManager. */
    @Override
    public Map<String, Integer> startingNodes() {
        return Map.of(MASTER, 1);
    }

    @Override
    public List<OperationDescriptor> operations() {
        return OPERATIONS;
    }

    @Override
    public ServiceManager createManager(ServiceContext context) {
        return new FlinkManager(context, settings, distribution);
    }
}
