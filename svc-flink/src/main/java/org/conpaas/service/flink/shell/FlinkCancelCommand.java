package org.conpaas.service.flink.shell;

import java.util.Map;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.service.support.shell.ServiceCommand;
import org.conpaas.service.flink.FlinkServiceType;

/** {@code cps:flink-cancel <application> <service> <job>}: the cancel_job operation. */
@Service
@Command(scope = "cps", name = "flink-cancel", description = "Cancels a job of a Flink service")
public class FlinkCancelCommand extends ServiceCommand {

    @Argument(index = 2, name = "job", required = true, description = "The job's id")
    String job;

    @Override
    public Object execute() {
        call(FlinkServiceType.CANCEL_JOB, Map.of(FlinkServiceType.JOB_ID, job));
        System.out.println("Cancelling job " + job);
        return null;
    }
}
