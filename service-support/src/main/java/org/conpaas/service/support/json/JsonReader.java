package org.conpaas.service.support.json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** One pass over a JSON text (RFC 8259), strict: no comments, no trailing commas, no raw control characters. */
final class JsonReader {

    /** Deeper than any body of the agent protocol or answer of a server a plug-in drives; bounds the recursion. */
    static final int MAX_DEPTH = 128;

    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private final String text;
    private int at;

    JsonReader(String text) {
        this.text = text;
    }

    Object document() {
        Object value = value(0);
        space();
        if (at != text.length()) {
            throw error("text after the value");
        }
        return value;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
        space();
        if (at >= text.length()) {
            throw error("unexpected end");
        }
        return switch (text.charAt(at)) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        at++;
        space();
        if (peek('}')) {
            at++;
            return map;
        }
        while (true) {
            space();
            String key = string();
            space();
            expect(':');
            map.put(key, value(depth + 1));
            space();
            if (!peek(',')) {
                expect('}');
                return map;
            }
            at++;
        }
    }

    private List<Object> array(int depth) {
        List<Object> list = new ArrayList<>();
        at++;
        space();
        if (peek(']')) {
            at++;
            return list;
        }
        while (true) {
            list.add(value(depth + 1));
            space();
            if (!peek(',')) {
                expect(']');
                return list;
            }
            at++;
        }
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            } else if (c < 0x20) {
                at--;
                throw error("a control character inside a string");
            } else if (c != '\\') {
                out.append(c);
            } else if (at < text.length()) {
                out.append(escaped(text.charAt(at++)));
            }
        }
        throw error("unterminated string");
    }

    private char escaped(char e) {
        return switch (e) {
            case '"', '\\', '/' -> e;
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'u' -> {
                if (at + 4 > text.length()) {
                    throw error("a short \\u escape");
                }
                try {
                    char c = (char) Integer.parseInt(text.substring(at, at + 4), 16);
                    at += 4;
                    yield c;
                } catch (NumberFormatException notHex) {
                    throw error("a \\u escape that is not hexadecimal");
                }
            }
            default -> {
                at--;
                throw error("an unknown escape \\" + e);
            }
        };
    }

    /** Integers as Integer, Long or BigInteger (the smallest that holds them), anything else as Double. */
    private Object number() {
        int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        String number = text.substring(start, at);
        if (number.isEmpty()) {
            throw error("unexpected character '" + text.charAt(at) + "'");
        }
        if (!NUMBER.matcher(number).matches()) {
            at = start;
            throw error("a malformed number " + number);
        }
        if (number.indexOf('.') >= 0 || number.indexOf('e') >= 0 || number.indexOf('E') >= 0) {
            return Double.parseDouble(number);
        }
        BigInteger integer = new BigInteger(number);
        if (integer.bitLength() < 32) {
            return integer.intValue();
        }
        return integer.bitLength() < 64 ? (Object) integer.longValue() : integer;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw error("unexpected character '" + text.charAt(at) + "'");
        }
        at += word.length();
        return value;
    }

    private void space() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error(at < text.length() ? "expected '" + c + "'" : "unexpected end, expected '" + c + "'");
        }
        at++;
    }

    private JsonSyntaxException error(String what) {
        return new JsonSyntaxException(what, at);
    }
}
