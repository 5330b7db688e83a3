package org.conpaas.service.flink;

/** The operations between the Flink manager and its agent plug-in, and their parameter names. */
public final class FlinkOperations {

    public static final String LIB_MISSING = "lib_missing";
    public static final String LIB_INSTALL = "lib_install";
    public static final String START_JOBMANAGER = "start_jobmanager";
    public static final String START_TASKMANAGER = "start_taskmanager";
    public static final String STOP_TASKMANAGER = "stop_taskmanager";
    public static final String AWAIT_TASKMANAGERS = "await_taskmanagers";
    public static final String OVERVIEW = "overview";
    public static final String SUBMIT = "submit";
    public static final String JOBS = "jobs";
    public static final String CANCEL = "cancel";

    public static final String VERSION = "version";
    /** The lib/ folder the node's machine shares (absent: the node's own cache). */
    public static final String LIB_DIR = "libDir";
    public static final String JARS = "jars";
    public static final String SETTINGS = "settings";
    public static final String COUNT = "count";
    public static final String SLOTS = "slots";
    public static final String JAR = "jar";
    public static final String JOB_ID = "jobId";
    public static final String ENTRY_CLASS = "entryClass";
    public static final String ARGS = "args";
    public static final String PARALLELISM = "parallelism";

    private FlinkOperations() {
    }
}
