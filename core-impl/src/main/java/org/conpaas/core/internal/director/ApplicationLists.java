package org.conpaas.core.internal.director;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.conpaas.api.model.ApplicationInfo;
import org.conpaas.core.internal.persistence.ApplicationRowChanges;

/**
 * Each user's application list as last read, kept while no application row has changed since
 * ({@link ApplicationRowChanges}). Consoles and scripts poll this list every few seconds; answered from here it costs
 * no database transaction (a third of a {@code GET /applications} before, docs/performance.md).
 */
final class ApplicationLists {
    /** Past this many users the lists are dropped and read again: a bound, not an eviction policy. */
    static final int MAX_USERS = 10_000;

    private record Read(long generation, List<ApplicationInfo> applications) {
    }

    private final Map<String, Read> lists = new ConcurrentHashMap<>();

    /** The user's list: the one kept if still current, else {@code query}'s (kept for the next call). */
    List<ApplicationInfo> of(String user, Supplier<List<ApplicationInfo>> query) {
        // taken before the query: a change committed meanwhile makes the stored list stale at once, never current
        long generation = ApplicationRowChanges.generation();
        Read kept = lists.get(user);
        if (kept != null && kept.generation() == generation) {
            return kept.applications();
        }
        List<ApplicationInfo> applications = List.copyOf(query.get());
        if (lists.size() >= MAX_USERS) {
            lists.clear();
        }
        lists.put(user, new Read(generation, applications));
        return applications;
    }
}
