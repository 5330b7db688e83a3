package org.conpaas.service.flink.shell;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.service.support.shell.ServiceCommand;
import org.conpaas.service.flink.FlinkServiceType;

/** {@code cps:flink-jobs <application> <service>}: the list_jobs operation as a table. */
@Service
@Command(scope = "cps", name = "flink-jobs", description = "Lists the jobs of a Flink service")
public class FlinkJobsCommand extends ServiceCommand {

    @Override
    public Object execute() {
        Object result = call(FlinkServiceType.LIST_JOBS, Map.of());
        String format = "%-32s  %-12s  %-24s  %s%n";
        StringBuilder out = new StringBuilder(String.format(format, "Job", "State", "Started", "Name"));
        if (result instanceof Map<?, ?> map && map.get("jobs") instanceof List<?> jobs) {
            for (Object item : jobs) {
                Map<?, ?> job = (Map<?, ?>) item;
                Object start = job.get("startTime");
                out.append(String.format(format, job.get("id"), job.get("state"),
                        start instanceof Number n && n.longValue() > 0 ? Instant.ofEpochMilli(n.longValue()) : "",
                        job.get("name")));
            }
        }
        System.out.print(out);
        return null;
    }
}
