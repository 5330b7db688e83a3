package org.conpaas.core.rest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.jaxrs.json.JacksonJsonProvider;

/**
 * The one JSON configuration of the API: Instants as ISO-8601 strings, enums as names, nulls written out,
 * strict reading (unknown fields and wrong scalar types are errors, so a typo never passes silently),
 * and integers of untyped values read as Long so REST and the shell hand the director the same types.
 */
public final class RestJson {

    private RestJson() {
    }

    public static ObjectMapper mapper() {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.USE_LONG_FOR_INTS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // a number or a boolean where text is expected is a client mistake, not something to coerce
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    public static JacksonJsonProvider provider(ObjectMapper mapper) {
        return new JacksonJsonProvider(mapper);
    }
}
