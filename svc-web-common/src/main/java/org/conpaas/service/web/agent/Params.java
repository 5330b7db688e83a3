package org.conpaas.service.web.agent;

import java.util.Map;

/** Typed access to an operation's JSON parameters; a missing or mistyped one is an IllegalArgumentException (400). */
public final class Params {

    private final Map<String, Object> values;

    public Params(Map<String, Object> values) {
        this.values = values == null ? Map.of() : values;
    }

    public Object value(String name) {
        return values.get(name);
    }

    public String text(String name) {
        if (!(values.get(name) instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException("parameter " + name + " must be a non-empty text");
        }
        return text;
    }

    public String optionalText(String name, String fallback) {
        Object value = values.get(name);
        return value == null ? fallback : text(name);
    }

    public int optionalInt(String name, int fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number number) || number.doubleValue() != number.intValue()) {
            throw new IllegalArgumentException("parameter " + name + " must be a whole number, not " + value);
        }
        return number.intValue();
    }

    public int port(String name) {
        int port = optionalInt(name, -1);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("parameter " + name + " must be a port between 1 and 65535");
        }
        return port;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String name) {
        Object value = values.get(name);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("parameter " + name + " must be an object");
        }
        return (Map<String, Object>) value;
    }
}
