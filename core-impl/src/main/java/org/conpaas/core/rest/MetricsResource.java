package org.conpaas.core.rest;

import java.util.List;
import java.util.Locale;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;

import org.conpaas.api.director.Director;
import org.conpaas.api.model.UserInfo;
import org.conpaas.core.internal.monitoring.LoadSample;
import org.conpaas.core.internal.monitoring.NodeLoad;
import org.conpaas.core.internal.monitoring.NodeLoads;

/**
 * The nodes' load in Prometheus' text exposition format (0.0.4), for a scraper that logs in like any client (Basic
 * or a client certificate). A user sees the nodes of their own applications; an administrator sees every node.
 */
@Path("metrics")
public class MetricsResource extends CallerResource {

    static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final Director director;
    private final NodeLoads loads;

    public MetricsResource(Director director, NodeLoads loads) {
        this.director = director;
        this.loads = loads;
    }

    @GET
    @Produces(TEXT_FORMAT)
    @ApiDoc("The caller's nodes' CPU, memory and their service types' own figures (every node for an "
            + "administrator) in Prometheus' text format")
    public String metrics() {
        String caller = caller();
        UserInfo me = director.user(caller, caller);
        List<NodeLoad> visible = loads.all().stream().filter(l -> me.isAdmin() || caller.equals(l.owner())).toList();
        StringBuilder out = new StringBuilder();
        out.append("# HELP conpaas_node_cpu_seconds_total CPU time used by the node's agent and the processes it "
                + "started.\n# TYPE conpaas_node_cpu_seconds_total counter\n");
        for (NodeLoad l : visible) {
            line(out, "conpaas_node_cpu_seconds_total", l, l.cpuMillisTotal() / 1000.0);
        }
        out.append("# HELP conpaas_node_memory_bytes Resident memory of the node's agent and the processes it "
                + "started.\n# TYPE conpaas_node_memory_bytes gauge\n");
        for (NodeLoad l : visible) {
            if (!l.samples().isEmpty()) {
                LoadSample last = l.samples().get(l.samples().size() - 1);
                line(out, "conpaas_node_memory_bytes", l, last.memoryMb() * 1024 * 1024);
            }
        }
        // the service types' own figures: a counter (requests served so far) or a gauge (free slots), by its name
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        visible.forEach(l -> names.addAll(l.figuresNow().keySet()));
        for (String name : names) {
            String metric = "conpaas_node_" + name;
            out.append("# HELP ").append(metric).append(" Reported by the node's service type.\n# TYPE ")
                    .append(metric).append(name.endsWith("_total") ? " counter\n" : " gauge\n");
            for (NodeLoad l : visible) {
                Double value = l.figuresNow().get(name);
                if (value != null) {
                    line(out, metric, l, value);
                }
            }
        }
        out.append("# HELP conpaas_nodes Running nodes the caller may see.\n# TYPE conpaas_nodes gauge\n");
        out.append("conpaas_nodes ").append(visible.size()).append('\n');
        return out.toString();
    }

    private static void line(StringBuilder out, String name, NodeLoad l, double value) {
        out.append(name).append("{owner=\"").append(escape(l.owner())).append("\",application=\"")
                .append(escape(l.applicationName())).append("\",application_id=\"").append(l.applicationId())
                .append("\",service=\"").append(escape(l.serviceName())).append("\",type=\"").append(escape(l.type()))
                .append("\",role=\"").append(escape(l.role())).append("\",node=\"").append(escape(l.node()))
                .append("\"} ").append(String.format(Locale.ROOT, "%.3f", value)).append('\n');
    }

    /** Label values escape backslash, double quote and line feed (the exposition format's rule). */
    static String escape(String value) {
        return value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

}
