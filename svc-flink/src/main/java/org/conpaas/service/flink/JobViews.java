package org.conpaas.service.flink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the agent's JSON answers (maps and lists) without unchecked casts all over the manager. */
final class JobViews {

    private JobViews() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    static List<Map<String, Object>> activeJobs(Map<String, Object> overview) {
        return list(overview.get("activeJobs"));
    }

    static List<Map<String, Object>> jobs(Object answer) {
        return list(map(answer).get("jobs"));
    }

    private static List<Map<String, Object>> list(Object value) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> out.add(map(item)));
        }
        return out;
    }
}
