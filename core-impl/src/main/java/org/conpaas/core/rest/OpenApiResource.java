package org.conpaas.core.rest;

import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

/**
 * Serves the OpenAPI document. It is published as its own JAX-RS endpoint at the address {@code /openapi.json},
 * beside {@code /v1}, because CXF's servlet picks an endpoint by the longest address that prefixes the request path.
 */
@Path("/")
public class OpenApiResource {

    private final Map<String, Object> document;

    public OpenApiResource(Map<String, Object> document) {
        this.document = Map.copyOf(document);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> document() {
        return document;
    }
}
