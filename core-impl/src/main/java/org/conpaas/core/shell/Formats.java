package org.conpaas.core.shell;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.karaf.shell.support.table.ShellTable;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.core.rest.RestJson;

import com.fasterxml.jackson.core.JsonProcessingException;

/** Shared text forms and tables of the shell output. */
final class Formats {

    private Formats() {
    }

    static String text(Object value) {
        return value == null ? "-" : value.toString();
    }

    /** {@code backend=2 proxy=1}, roles sorted; {@code -} for none. */
    static String roles(Map<String, Integer> counts) {
        if (counts == null || counts.isEmpty()) {
            return "-";
        }
        return new TreeMap<>(counts).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    static ShellTable servicesTable(Iterable<ServiceInfo> services) {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("Type");
        table.column("State");
        table.column("Cloud");
        table.column("Nodes");
        for (ServiceInfo s : services) {
            table.addRow().addContent(s.id(), s.name(), s.typeInstalled() ? s.type() : s.type() + " (not installed)",
                    s.state(), text(s.cloud()), roles(s.nodes()));
        }
        return table;
    }

    static ShellTable nodesTable(Iterable<NodeInfo> nodes) {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("App");
        table.column("Service");
        table.column("Role");
        table.column("Cloud");
        table.column("Address");
        table.column("Status");
        table.column("Code");
        table.column("Created");
        table.column("Machine");
        for (NodeInfo n : nodes) {
            String status = n.statusReason() == null ? n.status().name() : n.status() + " (" + n.statusReason() + ")";
            table.addRow().addContent(n.id(), n.applicationId(), n.serviceId(), n.role(), n.cloud(),
                    n.address() == null ? "-" : n.address() + ":" + n.port(), status, text(n.codeVersion()),
                    text(n.created()), text(n.machine()));
        }
        return table;
    }

    /**
     * An operation's result for people: text as text (a one-entry map holding text, like helloworld's, prints just
     * that text, lines and all), a flat map as {@code key: value} lines, anything else as indented JSON.
     */
    static String operationResult(Object result) {
        if (result instanceof String text) {
            return text.stripTrailing();
        }
        if (result instanceof Map<?, ?> map && !map.isEmpty()
                && map.values().stream().allMatch(v -> v instanceof String || v instanceof Number || v instanceof Boolean)) {
            if (map.size() == 1 && map.values().iterator().next() instanceof String text) {
                return text.stripTrailing();
            }
            return map.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining("\n"));
        }
        try {
            return RestJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result);
        } catch (JsonProcessingException e) {
            return String.valueOf(result);
        }
    }
}
