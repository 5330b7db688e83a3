package org.conpaas.core.rest;

import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.AsyncResponse;
import javax.ws.rs.container.Suspended;
import javax.ws.rs.core.MediaType;

import org.conpaas.api.director.Director;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.VolumeInfo;

/** Storage volumes attached to a service's nodes; creating and deleting them are long operations. */
@Path("applications/{app}/services/{svc}/volumes")
@Produces(MediaType.APPLICATION_JSON)
public class VolumesResource extends CallerResource {

    private final Director director;
    private final LongOperations longOperations;

    public VolumesResource(Director director) {
        this.director = director;
        this.longOperations = new LongOperations(director);
    }

    @GET
    @ApiDoc("The service's volumes")
    public List<VolumeInfo> list(@PathParam("app") String app, @PathParam("svc") String svc) {
        return director.volumes(caller(), app, svc);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Create a volume of sizeMb MB attached to a node (202; with ?wait=<seconds> 200 once settled)",
            status = 202, returns = ServiceInfo.class)
    public void create(@PathParam("app") String app, @PathParam("svc") String svc,
            @QueryParam("wait") String wait, Requests.CreateVolume body, @Suspended AsyncResponse response) {
        String name = Requests.required(body == null ? null : body.name(), "name");
        int sizeMb = Requests.required(body.sizeMb(), "sizeMb");
        String node = Requests.required(body.node(), "node");
        String user = caller();
        longOperations.run(user, app, wait, response,
                () -> director.createVolume(user, app, svc, name, sizeMb, node));
    }

    @DELETE
    @Path("{name}")
    @ApiDoc(value = "Detach and delete a volume, destroying its data (202; with ?wait=<seconds> 200 once settled)",
            status = 202, returns = ServiceInfo.class)
    public void delete(@PathParam("app") String app, @PathParam("svc") String svc,
            @PathParam("name") String name, @QueryParam("wait") String wait, @Suspended AsyncResponse response) {
        String user = caller();
        longOperations.run(user, app, wait, response, () -> director.deleteVolume(user, app, svc, name));
    }
}
