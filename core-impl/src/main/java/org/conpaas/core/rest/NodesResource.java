package org.conpaas.core.rest;

import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.AsyncResponse;
import javax.ws.rs.container.Suspended;
import javax.ws.rs.core.MediaType;

import org.conpaas.api.cloud.NodeSize;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.ServiceInfo;

/** Nodes of a service; adding and removing them are long operations. */
@Path("applications/{app}/services/{svc}/nodes")
@Produces(MediaType.APPLICATION_JSON)
public class NodesResource extends CallerResource {

    private final Director director;
    private final LongOperations longOperations;

    public NodesResource(Director director) {
        this.director = director;
        this.longOperations = new LongOperations(director);
    }

    @GET
    @ApiDoc("The service's nodes")
    public List<NodeInfo> list(@PathParam("app") String app, @PathParam("svc") String svc) {
        return director.nodes(caller(), app, svc);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Add nodes per role (202; with ?wait=<seconds> 200 once settled)", status = 202,
            returns = ServiceInfo.class)
    public void add(@PathParam("app") String app, @PathParam("svc") String svc, @QueryParam("wait") String wait,
            Requests.AddNodes body, @Suspended AsyncResponse response) {
        var roles = Requests.required(body == null ? null : body.roles(), "roles");
        NodeSize size = new NodeSize(body.memoryMb(), body.cpuShares());
        String user = caller();
        longOperations.run(user, app, wait, response,
                () -> director.addNodes(user, app, svc, roles, body.cloud(), size));
    }

    @POST
    @Path("remove")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Remove nodes: {roles} per role (the type chooses which) or {nodes} by id (202; with "
            + "?wait=<seconds> 200 once settled)", status = 202, returns = ServiceInfo.class)
    public void remove(@PathParam("app") String app, @PathParam("svc") String svc,
            @QueryParam("wait") String wait, Requests.RemoveNodes body, @Suspended AsyncResponse response) {
        String user = caller();
        if (body != null && body.nodes() != null) {
            if (body.roles() != null) {
                throw new InvalidInputException("nodes", "give either roles (counts) or nodes (ids), not both");
            }
            longOperations.run(user, app, wait, response,
                    () -> director.removeChosenNodes(user, app, svc, body.nodes()));
            return;
        }
        var roles = Requests.required(body == null ? null : body.roles(), "roles");
        longOperations.run(user, app, wait, response, () -> director.removeNodes(user, app, svc, roles));
    }

    @GET
    @Path("{node}")
    @ApiDoc("One node")
    public NodeInfo get(@PathParam("app") String app, @PathParam("svc") String svc, @PathParam("node") String node) {
        return director.node(caller(), app, svc, node);
    }

    @GET
    @Path("{node}/logs")
    @Produces(MediaType.TEXT_PLAIN)
    @ApiDoc("The node agent's own log; ?tail=N for the last N lines")
    public String agentLog(@PathParam("app") String app, @PathParam("svc") String svc,
            @PathParam("node") String node, @QueryParam("tail") String tail) {
        return director.nodeLog(caller(), app, svc, node, null, QueryValues.tail(tail));
    }

    @GET
    @Path("{node}/logs/{file}")
    @Produces(MediaType.TEXT_PLAIN)
    @ApiDoc("A log file of the node; ?tail=N for the last N lines")
    public String log(@PathParam("app") String app, @PathParam("svc") String svc, @PathParam("node") String node,
            @PathParam("file") String file, @QueryParam("tail") String tail) {
        return director.nodeLog(caller(), app, svc, node, file, QueryValues.tail(tail));
    }
}
