package org.conpaas.core.internal.director;

import java.util.List;
import java.util.Map;
import org.conpaas.api.service.ServiceNode;

/** How the engine words its reasons: the innermost message, node ids, role counts. */
final class Reasons {

    private Reasons() {
    }

    static String of(Throwable e) {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    static List<String> ids(List<ServiceNode> nodes) {
        return nodes.stream().map(ServiceNode::id).toList();
    }

    static String describe(Map<String, Integer> counts) {
        return "nodes " + counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .reduce((a, b) -> a + " " + b).orElse("");
    }
}
