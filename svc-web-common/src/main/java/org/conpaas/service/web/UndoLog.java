package org.conpaas.service.web;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conpaas.api.service.ServiceLog;

/**
 * What a change did, kept as the steps that put it back. A step is noted before the agent call it undoes, since a
 * call can take effect although it fails (an answer lost to a timeout); noting one key again keeps the first step, so
 * what a node ran before the change is restored once. {@link #rollBack} runs the steps newest first, which undoes a
 * reconfiguration in the mirror of its order: stopped roles start again before the proxies point at them, and the
 * proxies leave started roles before those stop.
 */
final class UndoLog {

    private record Step(String description, Runnable action) {
    }

    private final ServiceLog log;
    private final Map<String, Step> steps = new LinkedHashMap<>();

    UndoLog(ServiceLog log) {
        this.log = log;
    }

    /** Notes how to undo what is about to change under {@code key}, unless a step for that key is noted already. */
    void note(String key, String description, Runnable undo) {
        steps.putIfAbsent(key, new Step(description, undo));
    }

    /**
     * Runs every step, newest first, even when one fails: best effort. A failing step is logged and attached to
     * {@code failure} as suppressed, so it never hides why the change failed; returns {@code failure} to rethrow.
     */
    RuntimeException rollBack(RuntimeException failure) {
        List<Step> newestFirst = new ArrayList<>(steps.values());
        Collections.reverse(newestFirst);
        steps.clear();
        if (!newestFirst.isEmpty()) {
            log.warn("rolling back (" + newestFirst.size() + " step(s)) after: " + failure.getMessage());
        }
        for (Step step : newestFirst) {
            try {
                step.action().run();
            } catch (RuntimeException e) {
                log.error("rolling back failed to " + step.description() + ": " + e.getMessage(), e);
                failure.addSuppressed(e);
            }
        }
        return failure;
    }
}
