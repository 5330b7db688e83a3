package org.conpaas.api.model;

import java.time.Instant;
import org.conpaas.api.State;

/** One entry of a service's state history. */
public record StateChange(Instant time, State state, String reason) {
}
