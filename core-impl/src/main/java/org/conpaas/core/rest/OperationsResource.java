package org.conpaas.core.rest;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.conpaas.api.director.Director;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.model.ServiceInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Service-specific operations, generated from the service type's descriptors: JSON parameters, or multipart
 * when the operation takes files. The director checks the parameters against the descriptor.
 */
@Path("applications/{app}/services/{svc}/operations")
@Produces(MediaType.APPLICATION_JSON)
public class OperationsResource extends CallerResource {

    private final Director director;
    private final ObjectMapper json;
    private final LongSupplier maxUploadBytes;

    /**
     * @param maxUploadBytes the most the files of one call may carry together (the code store's maxArchiveMb); read
     *                       at each call, so a changed limit applies at once
     */
    public OperationsResource(Director director, ObjectMapper json, LongSupplier maxUploadBytes) {
        this.director = director;
        this.json = json;
        this.maxUploadBytes = maxUploadBytes;
    }

    @GET
    @ApiDoc("The operations the service's type offers, with their parameters")
    public List<OperationDescriptor> list(@PathParam("app") String app, @PathParam("svc") String svc) {
        return director.operations(caller(), app, svc);
    }

    @POST
    @Path("{op}")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Call an operation with JSON parameters; answers its result (204 when it has none)",
            returns = Object.class)
    public Response call(@PathParam("app") String app, @PathParam("svc") String svc, @PathParam("op") String op,
            Map<String, Object> params) {
        Object result = director.invoke(caller(), app, svc, op, params == null ? Map.of() : params,
                Map.of());
        return result(result);
    }

    @POST
    @Path("{op}")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @ApiDoc(value = "Call an operation that takes files: one form field per parameter, files as file parts",
            returns = Object.class)
    public Response callWithFiles(@PathParam("app") String app, @PathParam("svc") String svc,
            @PathParam("op") String op, InputStream body, @Context HttpHeaders headers) {
        String user = caller();
        // The service, the caller's rights and the operation are checked before a byte of the body is read.
        List<OperationDescriptor> operations = director.operations(user, app, svc);
        OperationDescriptor operation = ParameterConversion.find(operations, op).orElse(null);
        if (operation == null) {
            // the director's own answer for an unknown operation (404)
            return result(director.invoke(user, app, svc, op, Map.of(), Map.of()));
        }
        try (MultipartUploads uploads = MultipartUploads.read(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                maxUploadBytes.getAsLong(), MultipartUploads.FileFields.of(operation), operation)) {
            return result(director.invoke(user, app, svc, op, uploads.params(), uploads.files()));
        }
    }

    /**
     * Written here rather than by the provider so that a plain string result is still valid JSON. A long-running
     * operation answers 202 with the service, ADAPTING while the operation runs (wait for it like for any change).
     */
    private Response result(Object result) {
        if (result == null) {
            return Response.noContent().build();
        }
        if (result instanceof ServiceInfo started) {
            return Response.accepted(started).build();
        }
        try {
            return Response.ok(json.writeValueAsString(result), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the operation's result cannot be written as JSON", e);
        }
    }
}
