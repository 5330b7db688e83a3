package org.conpaas.core.rest;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

/**
 * Same as {@link ProblemMapper}, declared for WebApplicationException so that CXF prefers it over its built-in
 * mapper of that type (CXF picks the mapper of the closest exception type first).
 */
public class WebApplicationProblemMapper implements ExceptionMapper<WebApplicationException> {

    private final ProblemMapper problems = new ProblemMapper();

    @Override
    public Response toResponse(WebApplicationException exception) {
        return problems.toResponse(exception);
    }
}
