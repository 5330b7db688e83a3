package org.conpaas.agent.core.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.function.Predicate;

/** Small JSON request bodies: read within a bound, one text field taken and checked. */
final class JsonBodies {
    static final int MAX_BYTES = 64 * 1024;

    private JsonBodies() {
    }

    /**
     * The text of {@code field} in the body's JSON object, if it passes {@code valid}; otherwise 400 with
     * {@code refusal}, the same answer for a body that is no JSON, lacks the field or holds a bad value.
     */
    static String textField(ObjectMapper json, HttpExchange exchange, String field, Predicate<String> valid,
            String refusal) throws IOException, Problem {
        JsonNode value;
        try {
            JsonNode body = json.readTree(exchange.getRequestBody().readNBytes(MAX_BYTES));
            value = body == null ? null : body.path(field);
        } catch (JsonProcessingException e) {
            value = null;
        }
        if (value == null || !value.isTextual() || !valid.test(value.asText())) {
            throw Problem.badRequest(refusal);
        }
        return value.asText();
    }
}
