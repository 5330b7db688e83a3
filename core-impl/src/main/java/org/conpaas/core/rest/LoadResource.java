package org.conpaas.core.rest;

import java.time.Instant;
import java.util.List;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.conpaas.api.director.Director;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.core.internal.monitoring.LoadSample;
import org.conpaas.core.internal.monitoring.NodeLoads;

/** The recent load of a service's nodes, for the console's charts. */
@Path("applications/{app}/services/{svc}/load")
@Produces(MediaType.APPLICATION_JSON)
public class LoadResource extends CallerResource {

    /** One node's samples of the last hour, oldest first. */
    public record NodeLoadInfo(String node, String role, List<LoadSample> samples) {
    }

    /** Every node's samples; {@code periodSeconds} is the time between two samples (0: sampling is off). */
    public record ServiceLoad(long periodSeconds, Instant now, List<NodeLoadInfo> nodes) {
    }

    private final Director director;
    private final NodeLoads loads;

    public LoadResource(Director director, NodeLoads loads) {
        this.director = director;
        this.loads = loads;
    }

    @GET
    @ApiDoc("CPU (percent of one CPU), memory (MB) and the service type's own figures (figures: gauges, and "
            + "counters as <name>_per_second, e.g. requests_per_second) of the service's nodes over the last hour, "
            + "sampled by the director every loadSamplePeriodSeconds")
    public ServiceLoad load(@PathParam("app") String app, @PathParam("svc") String svc) {
        // the service's own nodes, through the director: another user's service answers 404 as everywhere
        List<String> nodes = director.nodes(caller(), app, svc).stream().map(NodeInfo::id).toList();
        return new ServiceLoad(loads.period().toSeconds(), Instant.now(), loads.of(nodes).stream()
                .map(l -> new NodeLoadInfo(l.node(), l.role(), l.samples())).toList());
    }
}
