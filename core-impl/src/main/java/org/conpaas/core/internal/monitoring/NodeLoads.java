package org.conpaas.core.internal.monitoring;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** The recent load of the running nodes, sampled by the director; what the console charts and Prometheus read. */
public interface NodeLoads {

    /** The nodes' loads, in the order asked; a node without samples (yet) is left out. */
    List<NodeLoad> of(Collection<String> nodeIds);

    /** Every sampled node. */
    List<NodeLoad> all();

    /** Time between two samples (zero when sampling is off). */
    Duration period();

    /** Nothing sampled: for a REST layer published without the sampler (tests). */
    NodeLoads NONE = new NodeLoads() {
        @Override
        public List<NodeLoad> of(Collection<String> nodeIds) {
            return List.of();
        }

        @Override
        public List<NodeLoad> all() {
            return List.of();
        }

        @Override
        public Duration period() {
            return Duration.ZERO;
        }
    };
}
