package org.conpaas.service.support.json;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/** Reads and writes JSON text: maps, lists, strings, numbers, booleans and null (and records and enums, written). */
public final class Json {

    private Json() {
    }

    /** The value {@code text} holds; {@link JsonSyntaxException} when it is not exactly one JSON value. */
    public static Object parse(String text) {
        return new JsonReader(text).document();
    }

    /** {@link #parse(String)} of UTF-8 bytes. */
    public static Object parse(byte[] utf8) {
        return parse(new String(utf8, StandardCharsets.UTF_8));
    }

    /**
     * {@code value} as JSON text. Maps (keys as strings), iterables and arrays, strings and characters, numbers,
     * booleans, null, enums (their name) and records (an object of their components); anything else is refused
     * with an {@link IllegalArgumentException}, so an object that has no JSON form never reaches the other side as
     * some accidental text. A number that is not finite is written as a string, as {@code "NaN"}.
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, 0);
        return out.toString();
    }

    /** {@link #write(Object)} as UTF-8 bytes. */
    public static byte[] bytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Object value, StringBuilder out, int depth) {
        if (depth > JsonReader.MAX_DEPTH) {
            throw new IllegalArgumentException("a value nested deeper than " + JsonReader.MAX_DEPTH
                    + " levels (a cycle?) cannot be written as JSON");
        }
        // a record is written as the map of its components, an array as the list of its elements
        if (value instanceof Record record) {
            value = components(record);
        } else if (value != null && value.getClass().isArray()) {
            Object array = value;
            value = IntStream.range(0, Array.getLength(array)).mapToObj(i -> Array.get(array, i)).toList();
        }
        if (value == null) {
            out.append("null");
        } else if (value instanceof CharSequence || value instanceof Character || value instanceof Enum<?>) {
            quote(value instanceof Enum<?> e ? e.name() : value.toString(), out);
        } else if (value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Number number) {
            number(number, out);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            String separator = "";
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(separator);
                quote(String.valueOf(entry.getKey()), out);
                out.append(':');
                write(entry.getValue(), out, depth + 1);
                separator = ",";
            }
            out.append('}');
        } else if (value instanceof Iterable<?> items) {
            out.append('[');
            String separator = "";
            for (Object item : items) {
                out.append(separator);
                write(item, out, depth + 1);
                separator = ",";
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("a " + value.getClass().getName()
                    + " cannot be written as JSON (use maps, lists, strings, numbers, booleans)");
        }
    }

    private static void number(Number number, StringBuilder out) {
        if (number instanceof Double || number instanceof Float) {
            double d = number.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                quote(number.toString(), out);
                return;
            }
        } else if (!(number instanceof Integer || number instanceof Long || number instanceof Short
                || number instanceof Byte || number instanceof BigInteger || number instanceof BigDecimal)) {
            // an AtomicLong, say: its value, in the one form JSON has
            number = new BigDecimal(number.toString());
        }
        out.append(number);
    }

    private static Map<String, Object> components(Record record) {
        Map<String, Object> components = new LinkedHashMap<>();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            try {
                component.getAccessor().setAccessible(true);
                components.put(component.getName(), component.getAccessor().invoke(record));
            } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                throw new IllegalArgumentException("the component " + component.getName() + " of a "
                        + record.getClass().getName() + " could not be read: " + e, e);
            }
        }
        return components;
    }

    private static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
