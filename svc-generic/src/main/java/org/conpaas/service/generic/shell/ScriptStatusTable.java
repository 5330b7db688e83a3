package org.conpaas.service.generic.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Plain-text rendering shared by the generic commands. */
final class ScriptStatusTable {

    private ScriptStatusTable() {
    }

    static String started(String script) {
        return script + ".sh started on every node; see cps:generic-status";
    }

    /** The manager's {agents: {node: {script: status}}} as a table node / script / status. */
    static String render(Object result) {
        if (!(result instanceof Map<?, ?> map) || !(map.get("agents") instanceof Map<?, ?> agents)) {
            return String.valueOf(result);
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NODE", "SCRIPT", "STATUS"});
        agents.forEach((node, scripts) -> {
            if (scripts instanceof Map<?, ?> byScript) {
                byScript.forEach((script, status) -> rows.add(new String[] {String.valueOf(node),
                        String.valueOf(script), String.valueOf(status)}));
            }
        });
        int nodeWidth = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        int scriptWidth = rows.stream().mapToInt(r -> r[1].length()).max().orElse(0);
        StringBuilder table = new StringBuilder();
        for (String[] row : rows) {
            if (table.length() > 0) {
                table.append('\n');
            }
            table.append(String.format("%-" + nodeWidth + "s  %-" + scriptWidth + "s  %s", row[0], row[1], row[2]));
        }
        return table.toString();
    }
}
