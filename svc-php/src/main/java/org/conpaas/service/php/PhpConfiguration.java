package org.conpaas.service.php;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.conpaas.api.InvalidInputException;

/**
 * The PHP settings users may change ({@code phpconf}): the original's keys, defaults and formats. A value is written
 * as one line of php-fpm's pool configuration, so the formats also keep line breaks and quotes out.
 */
public final class PhpConfiguration {

    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final Pattern SIZE = Pattern.compile("\\d+[KkMmGg]?");
    private static final Pattern ON_OFF = Pattern.compile("On|Off");
    private static final Pattern FUNCTIONS = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*(\\s*,\\s*[A-Za-z_][A-Za-z0-9_]*)*)?");

    /** The functions PHP scripts may not call by default: process control, which would escape php-fpm's workers. */
    static final List<String> PCNTL_FUNCTIONS = List.of("pcntl_alarm", "pcntl_async_signals", "pcntl_exec",
            "pcntl_fork", "pcntl_get_last_error", "pcntl_getpriority", "pcntl_rfork", "pcntl_setpriority",
            "pcntl_signal", "pcntl_signal_dispatch", "pcntl_signal_get_handler", "pcntl_sigprocmask",
            "pcntl_sigtimedwait", "pcntl_sigwaitinfo", "pcntl_strerror", "pcntl_unshare", "pcntl_wait",
            "pcntl_waitpid", "pcntl_wexitstatus", "pcntl_wifcontinued", "pcntl_wifexited", "pcntl_wifsignaled",
            "pcntl_wifstopped", "pcntl_wstopsig", "pcntl_wtermsig");

    private static final Map<String, Pattern> FORMATS = new LinkedHashMap<>();
    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        define("max_execution_time", "30", NUMBER);
        define("memory_limit", "128M", SIZE);
        define("upload_max_filesize", "2M", SIZE);
        define("post_max_size", "8M", SIZE);
        define("log_errors", "Off", ON_OFF);
        define("display_errors", "Off", ON_OFF);
        define("disable_functions", String.join(",", PCNTL_FUNCTIONS), FUNCTIONS);
    }

    private PhpConfiguration() {
    }

    private static void define(String key, String value, Pattern format) {
        FORMATS.put(key, format);
        DEFAULTS.put(key, value);
    }

    public static Map<String, String> defaults() {
        return new LinkedHashMap<>(DEFAULTS);
    }

    /**
     * Checks every entry: an unknown key or a value out of format is refused with one sentence naming it
     * ({@link InvalidInputException}, 400).
     */
    public static void validate(Map<String, String> changes) {
        for (Map.Entry<String, String> entry : changes.entrySet()) {
            Pattern format = FORMATS.get(entry.getKey());
            if (format == null) {
                throw new InvalidInputException("phpconf", "unknown phpconf setting " + entry.getKey()
                        + "; the settings are " + String.join(", ", FORMATS.keySet()));
            }
            String value = entry.getValue();
            if (value == null || !format.matcher(value).matches()) {
                throw new InvalidInputException("phpconf", "invalid value '" + value + "' for phpconf setting "
                        + entry.getKey() + " (expected " + describe(entry.getKey()) + ")");
            }
        }
    }

    private static String describe(String key) {
        Pattern format = FORMATS.get(key);
        if (format == NUMBER) {
            return "a whole number of seconds";
        }
        if (format == SIZE) {
            return "a size such as 128M";
        }
        if (format == ON_OFF) {
            return "On or Off";
        }
        return "function names separated by commas";
    }
}
