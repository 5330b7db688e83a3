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
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

import org.conpaas.api.director.Director;
import org.conpaas.api.model.ApplicationInfo;

/** Applications of the caller. Starting and stopping an application is immediate (no manager VM). */
@Path("applications")
@Produces(MediaType.APPLICATION_JSON)
public class ApplicationsResource extends CallerResource {

    private final Director director;

    public ApplicationsResource(Director director) {
        this.director = director;
    }

    @GET
    @ApiDoc("The caller's applications")
    public List<ApplicationInfo> list() {
        return director.applications(caller());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Create an application", status = 201, returns = ApplicationInfo.class)
    public Response create(Requests.Name body, @Context UriInfo uri) {
        String name = Requests.required(body == null ? null : body.name(), "name");
        ApplicationInfo created = director.createApplication(caller(), name);
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.id())).build())
                .entity(created).build();
    }

    @GET
    @Path("{app}")
    @ApiDoc("One application")
    public ApplicationInfo get(@PathParam("app") String app) {
        return director.application(caller(), app);
    }

    @PATCH
    @Path("{app}")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiDoc("Rename an application")
    public ApplicationInfo rename(@PathParam("app") String app, Requests.Name body) {
        String name = Requests.required(body == null ? null : body.name(), "name");
        return director.renameApplication(caller(), app, name);
    }

    @DELETE
    @Path("{app}")
    @ApiDoc(value = "Delete an application", status = 204)
    public void delete(@PathParam("app") String app) {
        director.deleteApplication(caller(), app);
    }

    @POST
    @Path("{app}/start")
    @ApiDoc("Start an application")
    public ApplicationInfo start(@PathParam("app") String app) {
        return director.startApplication(caller(), app);
    }

    @POST
    @Path("{app}/stop")
    @ApiDoc("Stop an application: stops its services, releasing all their nodes")
    public ApplicationInfo stop(@PathParam("app") String app) {
        return director.stopApplication(caller(), app);
    }
}
