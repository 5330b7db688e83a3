package org.conpaas.core.rest;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.conpaas.api.NotFoundException;
import org.conpaas.api.director.Director;

/** The service's startup script, run on every node created afterwards before its agent starts serving. */
@Path("applications/{app}/services/{svc}/startup-script")
public class StartupScriptResource extends CallerResource {

    private final Director director;

    public StartupScriptResource(Director director) {
        this.director = director;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @ApiDoc("The startup script as text; 404 when the service has none (with Accept: application/json the answer is "
            + "{script}, null when there is none)")
    public String get(@PathParam("app") String app, @PathParam("svc") String svc) {
        String script = director.startupScript(caller(), app, svc);
        if (script == null) {
            throw new NotFoundException("the service has no startup script");
        }
        return script;
    }

    /** {@code {script}}: the startup script, null when the service has none. */
    public record StartupScript(String script) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc("The startup script as JSON {script} (Accept: application/json), null when the service has none: for "
            + "clients to whom a missing script is no error, like the web console")
    public StartupScript getJson(@PathParam("app") String app, @PathParam("svc") String svc) {
        return new StartupScript(director.startupScript(caller(), app, svc));
    }

    @PUT
    @Consumes(MediaType.TEXT_PLAIN)
    @ApiDoc(value = "Set the startup script (an empty body clears it)", status = 204)
    public void set(@PathParam("app") String app, @PathParam("svc") String svc, String script) {
        director.setStartupScript(caller(), app, svc, script);
    }
}
