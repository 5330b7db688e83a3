package org.conpaas.core.rest;

import javax.ws.rs.NotSupportedException;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a JSON body that may be left out entirely. With {@code @Consumes(application/json)} a bare
 * {@code POST .../start} without a Content-Type would be refused with 415; here an empty body means "no options",
 * while a non-empty body must still be JSON.
 */
final class OptionalJsonBody {

    private OptionalJsonBody() {
    }

    static <T> T read(ObjectMapper json, HttpHeaders headers, String body, Class<T> type, T empty)
            throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            return empty;
        }
        MediaType mediaType = headers.getMediaType();
        if (mediaType == null || !MediaType.APPLICATION_JSON_TYPE.isCompatible(mediaType)) {
            throw new NotSupportedException("the body must be application/json");
        }
        T value = json.readValue(body, type);
        return value == null ? empty : value;
    }
}
