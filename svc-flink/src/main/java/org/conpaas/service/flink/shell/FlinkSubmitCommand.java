package org.conpaas.service.flink.shell;

import java.util.HashMap;
import java.util.Map;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.service.support.shell.ServiceCommand;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.service.flink.FlinkServiceType;

/** {@code cps:flink-submit [-c class] [-p n] [-a args] <application> <service> <jar>}: the submit_job operation. */
@Service
@Command(scope = "cps", name = "flink-submit", description = "Submits a Flink job (a jar) and prints its id")
public class FlinkSubmitCommand extends ServiceCommand {

    @Argument(index = 2, name = "jar", required = true, description = "The job's jar, a path on the director's host (administrators only; "
            + "plain users submit through the REST API)")
    String jar;

    @Option(name = "-c", aliases = "--class", description = "The entry class (default: the jar's Main-Class)")
    String entryClass;

    @Option(name = "-p", aliases = "--parallelism", description = "Subtasks per operator")
    Integer parallelism;

    @Option(name = "-a", aliases = "--args", description = "The program's arguments, separated by white space")
    String args;

    @Override
    public Object execute() {
        // a path on the director's host: administrators only
        UploadedFile jarFile = hostUpload(FlinkServiceType.JAR, jar);
        Map<String, Object> params = new HashMap<>();
        if (entryClass != null) {
            params.put(FlinkServiceType.ENTRY_CLASS, entryClass);
        }
        if (parallelism != null) {
            params.put(FlinkServiceType.PARALLELISM, parallelism);
        }
        if (args != null) {
            params.put(FlinkServiceType.ARGS, args);
        }
        Object result = call(FlinkServiceType.SUBMIT_JOB, params, Map.of(FlinkServiceType.JAR, jarFile));
        System.out.println("Submitted job " + ((Map<?, ?>) result).get(FlinkServiceType.JOB_ID));
        return null;
    }
}
