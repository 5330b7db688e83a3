package org.conpaas.service.mysql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.conpaas.api.InvalidInputException;

/**
 * The server variables a user may change with {@code set_mysql_params} ({@code SET GLOBAL} on every node, and in each
 * node's configuration so that nodes added later start with them). Anything else is refused: the variables that hold
 * the cluster together (wsrep_*, ports, paths, binlog format) stay the service's business. Both the manager (before
 * anything changes) and the node (before it writes its configuration) check with this class.
 */
public final class MysqlSettings {

    private static final Predicate<String> ON_OFF = v -> v.equals("ON") || v.equals("OFF");

    private static final Map<String, Predicate<String>> ALLOWED = new TreeMap<>(Map.ofEntries(
            Map.entry("max_connections", range(10, 100_000)),
            Map.entry("wait_timeout", range(1, 31_536_000)),
            Map.entry("interactive_timeout", range(1, 31_536_000)),
            Map.entry("lock_wait_timeout", range(1, 31_536_000)),
            Map.entry("innodb_lock_wait_timeout", range(1, 1_073_741_824)),
            Map.entry("max_allowed_packet", range(1024, 1_073_741_824)),
            Map.entry("sort_buffer_size", range(32_768, 1_073_741_824)),
            Map.entry("join_buffer_size", range(128, 1_073_741_824)),
            Map.entry("tmp_table_size", range(1024, 4_294_967_295L)),
            Map.entry("max_heap_table_size", range(16_384, 4_294_967_295L)),
            Map.entry("table_open_cache", range(1, 1_048_576)),
            Map.entry("innodb_flush_log_at_trx_commit", v -> v.matches("[012]")),
            Map.entry("wsrep_slave_threads", range(1, 512)),
            Map.entry("slow_query_log", ON_OFF),
            Map.entry("long_query_time", v -> v.matches("\\d{1,7}(\\.\\d{1,6})?")),
            Map.entry("sql_mode", v -> v.matches("[A-Z_]{0,40}(,[A-Z_]{1,40}){0,20}"))));

    private MysqlSettings() {
    }

    public static List<String> allowed() {
        return List.copyOf(ALLOWED.keySet());
    }

    /**
     * Checks every setting and answers them normalised (names lower case, ON/OFF upper case); throws naming the first
     * refused one, so that a refused call changes nothing.
     */
    public static Map<String, String> check(Map<?, ?> settings) {
        if (settings == null || settings.isEmpty()) {
            throw new InvalidInputException("params", "params must be an object with at least one variable, e.g. "
                    + "{\"max_connections\": 200}; allowed: " + allowed());
        }
        if (settings.size() > ALLOWED.size()) {
            throw new InvalidInputException("params", "too many variables (at most " + ALLOWED.size() + ")");
        }
        Map<String, String> checked = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            String name = String.valueOf(key).toLowerCase(java.util.Locale.ROOT);
            Predicate<String> rule = ALLOWED.get(name);
            if (rule == null) {
                throw new InvalidInputException("params", "the variable " + shorten(String.valueOf(key))
                        + " cannot be changed; allowed: " + allowed());
            }
            String text = value instanceof String || value instanceof Number || value instanceof Boolean
                    ? String.valueOf(value) : "";
            if (value instanceof Boolean b) {
                text = b ? "ON" : "OFF";
            }
            if (rule == ON_OFF) {
                text = text.toUpperCase(java.util.Locale.ROOT);
            }
            if (text.length() > 400 || !rule.test(text)) {
                throw new InvalidInputException("params", "invalid value for " + name + ": " + shorten(text));
            }
            checked.put(name, text);
        });
        return checked;
    }

    /** A SQL literal for a checked value: numbers and ON/OFF as they are, anything else quoted. */
    public static String literal(String value) {
        return value.matches("\\d+(\\.\\d+)?|ON|OFF") ? value : "'" + value + "'";
    }

    private static Predicate<String> range(long min, long max) {
        return v -> {
            if (!v.matches("\\d{1,12}")) {
                return false;
            }
            long n = Long.parseLong(v);
            return n >= min && n <= max;
        };
    }

    private static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }
}
