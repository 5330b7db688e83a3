package org.conpaas.service.support.json;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

public class JsonTest {

    private enum Role { MASTER }

    private record Member(String id, int port, Role role) {
    }

    @Test
    public void objectsBecomeMapsInTheirOrderAndNumbersTheSmallestTypeThatHoldsThem() {
        Object value = Json.parse(" {\"b\": [1, 2147483648, 123456789012345678901234567890, -0.5, 1e3],"
                + " \"a\": {\"t\": true, \"f\": false, \"n\": null}, \"s\": \"x\\\"\\\\\\/\\n\\u00e9\\ud83d\\ude00\"} ");
        Map<?, ?> map = (Map<?, ?>) value;
        assertEquals(List.of("b", "a", "s"), new ArrayList<>(map.keySet()));
        assertEquals(List.of(1, 2147483648L, new BigInteger("123456789012345678901234567890"), -0.5, 1000.0),
                map.get("b"));
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("t", true);
        flags.put("f", false);
        flags.put("n", null);
        assertEquals(flags, map.get("a"));
        assertEquals("x\"\\/\né\uD83D\uDE00", map.get("s"));
    }

    @Test
    public void whatIsWrittenReadsBackTheSame() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "quote \" backslash \\ tab \t bell \u0007 é");
        value.put("numbers", List.of(0, -7, Long.MAX_VALUE, 2.5));
        value.put("empty", Map.of());
        value.put("none", null);
        value.put("nested", List.of(List.of(), Map.of("k", List.of(true))));
        String text = Json.write(value);
        assertEquals(value, Json.parse(text));
        assertTrue(text, text.contains("\\u0007"));
    }

    @Test
    public void recordsEnumsArraysAndOtherNumbersAreWrittenInTheirJsonForm() {
        assertEquals("{\"id\":\"node-1\",\"port\":80,\"role\":\"MASTER\"}",
                Json.write(new Member("node-1", 80, Role.MASTER)));
        assertEquals("[[1,2],[\"a\"],7,\"NaN\",\"c\"]",
                Json.write(List.of(new int[] {1, 2}, new String[] {"a"}, new AtomicLong(7), Double.NaN, 'c')));
        assertEquals("\"é\"", new String(Json.bytes("é"), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    public void anObjectWithoutAJsonFormIsRefusedNotWrittenAsSomeText() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Json.write(Map.of("when", new Object())));
        assertTrue(refused.getMessage(), refused.getMessage().contains("java.lang.Object cannot be written as JSON"));
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertThrows(IllegalArgumentException.class, () -> Json.write(cycle));
    }

    @Test
    public void textThatIsNotExactlyOneJsonValueIsRefusedWithWhereItWentWrong() {
        for (String bad : List.of("", "   ", "{", "{\"a\":1,}", "[1,]", "{a:1}", "01", "1.", "-", "+1", ".5",
                "tru", "nul", "\"open", "\"tab\there\"", "\"\\x\"", "\"\\u12\"", "\"\\uzzzz\"", "{} {}", "[1] x",
                "{\"a\" 1}", "// comment\n{}", "'single'")) {
            JsonSyntaxException refused = assertThrows(bad, JsonSyntaxException.class, () -> Json.parse(bad));
            assertTrue(refused.getMessage(), refused.getMessage().contains(" at character "));
        }
        assertEquals("text after the value at character 4",
                assertThrows(JsonSyntaxException.class, () -> Json.parse("[1] x")).getMessage());
    }

    @Test
    public void nestingIsBounded() {
        String deep = "[".repeat(JsonReader.MAX_DEPTH + 2) + "]".repeat(JsonReader.MAX_DEPTH + 2);
        assertTrue(assertThrows(JsonSyntaxException.class, () -> Json.parse(deep)).getMessage().contains("nested"));
        String allowed = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        assertTrue(Json.parse(allowed) instanceof List<?>);
    }
}
