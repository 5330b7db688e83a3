package org.conpaas.agent.core.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;
import java.util.function.Predicate;
import org.conpaas.service.support.json.Json;
import org.conpaas.service.support.json.JsonSyntaxException;

/** Small JSON request bodies: read within a bound, one text field taken and checked. */
final class JsonBodies {
    static final int MAX_BYTES = 64 * 1024;

    private JsonBodies() {
    }

    /**
     * The text of {@code field} in the body's JSON object, if it passes {@code valid}; otherwise 400 with
     * {@code refusal}, the same answer for a body that is no JSON, lacks the field or holds a bad value.
     */
    static String textField(HttpExchange exchange, String field, Predicate<String> valid,
            String refusal) throws IOException, Problem {
        Object value;
        try {
            value = Json.parse(exchange.getRequestBody().readNBytes(MAX_BYTES)) instanceof Map<?, ?> body
                    ? body.get(field) : null;
        } catch (JsonSyntaxException e) {
            value = null;
        }
        if (!(value instanceof String text) || !valid.test(text)) {
            throw Problem.badRequest(refusal);
        }
        return text;
    }
}
