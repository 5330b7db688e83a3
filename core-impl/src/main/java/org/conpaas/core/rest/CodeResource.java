package org.conpaas.core.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.AsyncResponse;
import javax.ws.rs.container.Suspended;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;
import javax.ws.rs.core.UriInfo;

import org.conpaas.api.InvalidInputException;
import org.conpaas.api.State;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.CodeVersionInfo;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.UploadedFile;

/**
 * The code versions of a service: upload (multipart {@code file} and optional {@code description}), list, download
 * the original archive, delete, and choose the active one.
 */
@Path("applications/{app}/services/{svc}/code")
@Produces(MediaType.APPLICATION_JSON)
public class CodeResource extends CallerResource {

    /** {@code {version}}: the code version to activate. */
    public record ActiveVersion(String version) {
    }

    /** The one file part of an upload. */
    private static final MultipartUploads.FileFields CODE_FILE = new MultipartUploads.FileFields(Set.of("file"),
            "a code upload");

    private final Director director;
    private final LongSupplier maxUploadBytes;

    /**
     * @param maxUploadBytes the most an upload may carry (the code store's maxArchiveMb); read at each call, so a
     *                       changed limit applies at once
     */
    public CodeResource(Director director, LongSupplier maxUploadBytes) {
        this.director = director;
        this.maxUploadBytes = maxUploadBytes;
    }

    @GET
    @ApiDoc("The service's code versions, newest first, the active one marked")
    public List<CodeVersionInfo> list(@PathParam("app") String app, @PathParam("svc") String svc) {
        return director.codeVersions(caller(), app, svc);
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @ApiDoc(value = "Upload a code archive (tar, tar.gz, tar.bz2 or zip, told apart by content): multipart field "
            + "'file', optional field 'description'", status = 201, returns = CodeVersionInfo.class)
    public Response upload(@PathParam("app") String app, @PathParam("svc") String svc, InputStream body,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        String user = caller();
        director.service(user, app, svc); // 404 (or 401/403) before a byte of the body is read
        try (MultipartUploads uploads = MultipartUploads.read(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                maxUploadBytes.getAsLong(), CODE_FILE, null)) {
            UploadedFile file = uploads.files().get("file");
            if (file == null) {
                throw new InvalidInputException("file", "the multipart field 'file' with the archive is required");
            }
            Object description = uploads.params().get("description");
            CodeVersionInfo stored = director.uploadCode(user, app, svc, file,
                    description == null ? null : description.toString());
            return Response.created(uri.getAbsolutePathBuilder().path(stored.id()).build()).entity(stored).build();
        }
    }

    @GET
    @Path("{version}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @ApiDoc(value = "Download the original archive of a version, under its original file name", returns = byte[].class)
    public Response download(@PathParam("app") String app, @PathParam("svc") String svc,
            @PathParam("version") String version) {
        UploadedFile file = director.downloadCode(caller(), app, svc, version);
        StreamingOutput bytes = out -> Files.copy(file.path(), out);
        long length;
        try {
            length = Files.size(file.path());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read code version " + version, e);
        }
        return Response.ok(bytes, MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Content-Disposition", attachment(file.fileName()))
                .header("Content-Length", length).build();
    }

    @DELETE
    @Path("{version}")
    @ApiDoc(value = "Delete a version; the active one cannot be deleted (409)", status = 204)
    public void delete(@PathParam("app") String app, @PathParam("svc") String svc,
            @PathParam("version") String version) {
        director.deleteCode(caller(), app, svc, version);
    }

    @PUT
    @Path("active")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Activate a version: 200 when done at once (no nodes); 202 while the service is ADAPTING, "
            + "or with ?wait=<seconds> 200 once settled", status = 202, returns = ServiceInfo.class)
    public void activate(@PathParam("app") String app, @PathParam("svc") String svc,
            @QueryParam("wait") String rawWait, ActiveVersion body, @Suspended AsyncResponse response) {
        String version = Requests.required(body == null ? null : body.version(), "version");
        Integer wait = QueryValues.waitSeconds(rawWait); // validated before anything changes
        String user = caller();
        ServiceInfo started = director.activateCode(user, app, svc, version);
        if (started.state() != State.ADAPTING) {
            response.resume(Response.ok(started).build());
        } else if (wait == null) {
            response.resume(Response.accepted(started).build());
        } else {
            new LongOperations(director).resumeWhenSettled(user, app, started, wait, response);
        }
    }

    /** An ASCII fallback name and the exact UTF-8 name (RFC 6266). */
    static String attachment(String fileName) {
        String ascii = fileName.replaceAll("[^\\x20-\\x7e]", "_").replace("\\", "_").replace("\"", "_");
        String encoded = URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
