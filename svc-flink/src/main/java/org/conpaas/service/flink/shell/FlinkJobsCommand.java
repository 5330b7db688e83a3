package org.conpaas.service.flink.shell;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.director.Director;
import org.conpaas.api.director.SessionUser;
import org.conpaas.service.flink.FlinkServiceType;

/** {@code cps:flink-jobs <application> <service>}: the list_jobs operation as a table. */
@Service
@Command(scope = "cps", name = "flink-jobs", description = "Lists the jobs of a Flink service")
public class FlinkJobsCommand implements Action {

    @Reference
    Director director;

    /** Acts as whoever logged in to the shell, like the director's own cps commands. */
    @Reference
    SessionUser user;

    @Argument(index = 0, name = "application", required = true, description = "The application's id or name")
    String application;

    @Argument(index = 1, name = "service", required = true, description = "The service's id or name")
    String service;

    @Override
    public Object execute() {
        Object result = director.invoke(user.name(), application, service, FlinkServiceType.LIST_JOBS, Map.of(),
                Map.of());
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
