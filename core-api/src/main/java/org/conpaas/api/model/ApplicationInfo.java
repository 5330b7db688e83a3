package org.conpaas.api.model;

import java.time.Instant;
import org.conpaas.api.State;

/** An application as users see it. */
public record ApplicationInfo(long id, String name, String owner, State state, Instant created) {
}
