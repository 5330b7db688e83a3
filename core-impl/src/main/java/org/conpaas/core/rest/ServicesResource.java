package org.conpaas.core.rest;

import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.container.AsyncResponse;
import javax.ws.rs.container.Suspended;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

import org.conpaas.api.InvalidInputException;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.StateChange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Services of an application; start and stop are long operations (202, or 200 with {@code ?wait}). */
@Path("applications/{app}/services")
@Produces(MediaType.APPLICATION_JSON)
public class ServicesResource extends CallerResource {

    private final Director director;
    private final LongOperations longOperations;
    private final ObjectMapper json;

    public ServicesResource(Director director, ObjectMapper json) {
        this.director = director;
        this.json = json;
        this.longOperations = new LongOperations(director);
    }

    @GET
    @ApiDoc("The services of an application")
    public List<ServiceInfo> list(@PathParam("app") String app) {
        return director.services(caller(), app);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Add a service of an installed type", status = 201, returns = ServiceInfo.class)
    public Response add(@PathParam("app") String app, Requests.AddService body, @Context UriInfo uri) {
        String type = Requests.required(body == null ? null : body.type(), "type");
        ServiceInfo added = director.addService(caller(), app, type, body.name());
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(added.id())).build())
                .entity(added).build();
    }

    @GET
    @Path("{svc}")
    @ApiDoc("One service with its state and node counts")
    public ServiceInfo get(@PathParam("app") String app, @PathParam("svc") String svc) {
        return director.service(caller(), app, svc);
    }

    @PATCH
    @Path("{svc}")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiDoc("Rename a service and/or change its settings: {name?, replaceFailedNodes?}")
    public ServiceInfo change(@PathParam("app") String app, @PathParam("svc") String svc,
            Requests.ServiceChanges body) {
        if (body == null || body.name() == null && body.replaceFailedNodes() == null) {
            throw new InvalidInputException("give the service's new name and/or replaceFailedNodes (true or false)");
        }
        ServiceInfo changed = null;
        if (body.name() != null) {
            changed = director.renameService(caller(), app, svc, Requests.required(body.name(), "name"));
            svc = String.valueOf(changed.id()); // the new name may be shared; the id is not
        }
        if (body.replaceFailedNodes() != null) {
            changed = director.setReplaceFailedNodes(caller(), app, svc, body.replaceFailedNodes());
        }
        return changed;
    }

    @DELETE
    @Path("{svc}")
    @ApiDoc(value = "Remove a service", status = 204)
    public void remove(@PathParam("app") String app, @PathParam("svc") String svc) {
        director.removeService(caller(), app, svc);
    }

    @POST
    @Path("{svc}/start")
    @ApiDoc(value = "Start a service (202; with ?wait=<seconds> 200 once settled); the body is optional",
            status = 202, returns = ServiceInfo.class, body = Requests.StartService.class)
    public void start(@PathParam("app") String app, @PathParam("svc") String svc,
            @QueryParam("wait") String wait, @Context HttpHeaders headers, String body,
            @Suspended AsyncResponse response)
            throws JsonProcessingException {
        String cloud = OptionalJsonBody.read(json, headers, body, Requests.StartService.class,
                new Requests.StartService(null)).cloud();
        String user = caller();
        longOperations.run(user, app, wait, response, () -> director.startService(user, app, svc, cloud));
    }

    @POST
    @Path("{svc}/stop")
    @ApiDoc(value = "Stop a service, releasing its nodes; a start or change in flight is cancelled first (202; with "
            + "?wait=<seconds> 200 once settled)",
            status = 202, returns = ServiceInfo.class)
    public void stop(@PathParam("app") String app, @PathParam("svc") String svc,
            @QueryParam("wait") String wait, @Suspended AsyncResponse response) {
        String user = caller();
        longOperations.run(user, app, wait, response, () -> director.stopService(user, app, svc));
    }

    @GET
    @Path("{svc}/history")
    @ApiDoc("The service's state changes, oldest first")
    public List<StateChange> history(@PathParam("app") String app, @PathParam("svc") String svc) {
        return director.history(caller(), app, svc);
    }

    @GET
    @Path("{svc}/log")
    @Produces(MediaType.TEXT_PLAIN)
    @ApiDoc("The service manager's log; ?tail=N for the last N lines")
    public String log(@PathParam("app") String app, @PathParam("svc") String svc, @QueryParam("tail") String tail) {
        return director.managerLog(caller(), app, svc, QueryValues.tail(tail));
    }
}
