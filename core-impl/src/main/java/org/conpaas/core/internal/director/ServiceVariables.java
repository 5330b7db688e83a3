package org.conpaas.core.internal.director;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.conpaas.api.State;
import org.conpaas.core.internal.persistence.ServiceEntity;
import org.conpaas.core.internal.persistence.Store;

/**
 * The variables a service publishes for the scripts of the other services of its application
 * ({@code ServiceContext#publishVariables}). Kept as {@code NAME=value} lines under one reserved key of the service's
 * manager state, so that they survive restarts with the rest of its state.
 */
final class ServiceVariables {

    /** ':' never appears in the keys the managers choose themselves by convention (theirs are words and dots). */
    static final String KEY = "conpaas:variables";
    static final int MAX_VARIABLES = 64;
    static final int MAX_VALUE = 1024;
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    private static final Set<State> OFFERING = Set.of(State.RUNNING, State.ADAPTING);

    private ServiceVariables() {
    }

    static void publish(Store store, long serviceDbId, Map<String, String> variables) {
        if (variables.size() > MAX_VARIABLES) {
            throw new IllegalArgumentException("at most " + MAX_VARIABLES + " variables");
        }
        StringBuilder text = new StringBuilder();
        variables.forEach((name, value) -> {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("a variable name is [A-Z][A-Z0-9_]{0,63}: " + name);
            }
            if (value == null || value.length() > MAX_VALUE || value.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("the value of " + name + " must be at most " + MAX_VALUE
                        + " characters without control characters");
            }
            text.append(name).append('=').append(value).append('\n');
        });
        store.tx(em -> {
            if (text.isEmpty()) {
                store.removeManagerState(em, serviceDbId, KEY);
            } else {
                store.putManagerState(em, serviceDbId, KEY, text.toString());
            }
            return null;
        });
    }

    /** What the application's other running services published, older services first. */
    static Map<String, String> ofApplication(Store store, long applicationDbId, long exceptServiceDbId) {
        return store.tx(em -> {
            Map<String, String> all = new LinkedHashMap<>();
            for (ServiceEntity s : store.services(em, applicationDbId)) {
                if (s.getId() == exceptServiceDbId || !OFFERING.contains(s.getState())) {
                    continue;
                }
                String text = store.managerState(em, s.getId()).get(KEY);
                if (text == null) {
                    continue;
                }
                for (String line : text.split("\n")) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        all.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
            }
            return all;
        });
    }
}
