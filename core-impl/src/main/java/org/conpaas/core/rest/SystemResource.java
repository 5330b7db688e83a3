package org.conpaas.core.rest;

import java.util.List;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.conpaas.api.director.Director;
import org.conpaas.api.model.CloudInfo;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.ServiceTypeInfo;
import org.conpaas.api.model.VersionInfo;

/** What the platform offers: version, installed service types, configured clouds, and the caller's nodes. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class SystemResource extends CallerResource {

    private final Director director;

    public SystemResource(Director director) {
        this.director = director;
    }

    @GET
    @Path("version")
    @ApiDoc("The director's version and deployment name")
    public VersionInfo version() {
        return director.version();
    }

    @GET
    @Path("service-types")
    @ApiDoc("The installed service types with their roles and operations")
    public List<ServiceTypeInfo> serviceTypes() {
        return director.serviceTypes();
    }

    @GET
    @Path("clouds")
    @ApiDoc("The configured clouds and their capabilities")
    public List<CloudInfo> clouds() {
        return director.clouds();
    }

    @GET
    @Path("resources")
    @ApiDoc("Every node the caller holds, across applications")
    public List<NodeInfo> resources() {
        return director.resources(caller());
    }
}
