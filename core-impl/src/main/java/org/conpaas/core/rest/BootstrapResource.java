package org.conpaas.core.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;

import org.conpaas.api.AuthenticationException;
import org.conpaas.api.ForbiddenException;
import org.conpaas.core.internal.bootstrap.AgentDownloads;

/**
 * What a booting node downloads. Authenticated by the node's one-time token alone ({@code Authorization: Bearer}),
 * never by a user's credentials: {@link RestAuthentication} lets these paths through untouched.
 */
@javax.ws.rs.Path(BootstrapResource.PATH)
public class BootstrapResource {

    /** Relative to the API's base; {@link RestAuthentication} leaves it to the token. */
    static final String PATH = "nodes/bootstrap";
    static final String BEARER_CHALLENGE = "Bearer realm=\"ConPaaS node bootstrap\"";

    private final AgentDownloads downloads;

    public BootstrapResource(AgentDownloads downloads) {
        this.downloads = downloads;
    }

    @GET
    @javax.ws.rs.Path("agent")
    @Produces({"application/gzip", Problems.MEDIA_TYPE})
    @ApiDoc(value = "The agent runtime (tar.gz) for a booting node; authenticated only by the node's one-time "
            + "bootstrap token (Authorization: Bearer), which it uses up; 401 without one, 403 for an unknown, used "
            + "or expired one", returns = byte[].class)
    public Response agent(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Path archive;
        try {
            archive = downloads.agentRuntime(bearer(authorization));
        } catch (AuthenticationException e) {
            return Response.fromResponse(Problems.response(401, e.getMessage()))
                    .header(HttpHeaders.WWW_AUTHENTICATE, BEARER_CHALLENGE).build();
        } catch (ForbiddenException e) {
            return Problems.response(403, e.getMessage());
        }
        long length;
        try {
            length = Files.size(archive);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent runtime", e);
        }
        StreamingOutput bytes = out -> Files.copy(archive, out);
        return Response.ok(bytes, "application/gzip").header("Content-Length", length).build();
    }

    /** The token of a Bearer authorization; null when there is none (or another scheme). */
    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String[] parts = authorization.strip().split("\\s+", 2);
        return parts.length == 2 && parts[0].equalsIgnoreCase("Bearer") ? parts[1] : null;
    }

    /** Whether a request goes to a bootstrap endpoint (any method: the resource answers what it does not serve). */
    static boolean isBootstrap(String path) {
        String p = RequestPaths.withoutOuterSlashes(path);
        return p.equals(PATH) || p.startsWith(PATH + "/");
    }
}
