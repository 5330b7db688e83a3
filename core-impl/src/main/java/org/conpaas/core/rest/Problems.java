package org.conpaas.core.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.ws.rs.core.Response;

/** Builds RFC 7807 {@code application/problem+json} responses. */
final class Problems {

    static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {
    }

    static Response response(int status, String detail, Map<String, Object> extras) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", detail);
        body.putAll(extras);
        return Response.status(status).type(MEDIA_TYPE).entity(body).build();
    }

    static Response response(int status, String detail) {
        return response(status, detail, Map.of());
    }

    static String title(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        if (known != null) {
            return known.getReasonPhrase();
        }
        return status == 502 ? "Bad Gateway" : "HTTP " + status;
    }
}
