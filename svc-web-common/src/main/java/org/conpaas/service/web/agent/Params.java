package org.conpaas.service.web.agent;

import java.util.ArrayList;
import java.util.List;
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

    /** A list of IP addresses (written into servers' configurations, so nothing else may pass); empty if absent. */
    public List<String> addresses(String name) {
        Object value = values.get(name);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("parameter " + name + " must be a list of IP addresses");
        }
        List<String> addresses = new ArrayList<>();
        for (Object ip : list) {
            if (!(ip instanceof String text) || !text.matches("[0-9A-Fa-f.:]+")) {
                throw new IllegalArgumentException("every entry of " + name + " must be an IP address, not " + ip);
            }
            addresses.add(text);
        }
        return addresses;
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
