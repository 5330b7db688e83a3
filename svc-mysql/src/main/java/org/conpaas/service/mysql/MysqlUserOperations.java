package org.conpaas.service.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conpaas.api.AgentException;
import org.conpaas.api.ConflictException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.service.ServiceNode;

/** The MySQL service's operations as its owner calls them (REST, shell, frontend). */
final class MysqlUserOperations {

    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 64;

    private final MysqlManager manager;

    MysqlUserOperations(MysqlManager manager) {
        this.manager = manager;
    }

    Object invoke(String operation, Map<String, Object> params, Map<String, UploadedFile> files) throws IOException {
        return switch (operation) {
            case MysqlServiceType.GET_SERVICE_INFO -> serviceInfo();
            case MysqlServiceType.GET_PASSWORD -> password();
            case MysqlServiceType.SET_PASSWORD -> setPassword(params.get(MysqlServiceType.PASSWORD));
            case MysqlServiceType.LOAD_DUMP -> loadDump(files.get(MysqlServiceType.DUMP));
            case MysqlServiceType.SQLDUMP -> call(firstMysql(), MysqlOperations.SQLDUMP, Map.of());
            case MysqlServiceType.GET_MEAN_LOAD -> meanLoad();
            case MysqlServiceType.SET_MYSQL_PARAMS -> setParams(params.get(MysqlServiceType.PARAMS));
            case MysqlServiceType.LIST_NODES -> listNodes();
            case MysqlServiceType.GET_NODE_INFO -> nodeInfo(String.valueOf(params.get(MysqlServiceType.NODE_ID)));
            default -> throw new IllegalArgumentException("unknown operation " + operation);
        };
    }

    private Map<String, Object> serviceInfo() {
        ServiceNode entry = manager.entry(manager.context.nodes());
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("host", entry.address());
        info.put("port", MysqlOperations.MYSQL_PORT);
        info.put("user", MysqlOperations.USER);
        info.put("connect", "mysql -h " + entry.address() + " -P " + MysqlOperations.MYSQL_PORT + " -u "
                + MysqlOperations.USER + " -p");
        info.put("url", "mysql://" + entry.address() + ":" + MysqlOperations.MYSQL_PORT);
        info.put("through", entry.role());
        info.put("passwordKept", manager.secrets.keptUserPassword().isPresent());
        return info;
    }

    private Map<String, Object> password() {
        String password = manager.secrets.keptUserPassword().orElseThrow(() -> new ConflictException(
                "the owner set the password of " + MysqlOperations.USER + "; it is not kept (set a new one with "
                        + MysqlServiceType.SET_PASSWORD + ")"));
        return Map.of("user", MysqlOperations.USER, MysqlServiceType.PASSWORD, password);
    }

    /** Applied on one node; Galera replicates ALTER USER to the others, which have it when this returns. */
    private Map<String, Object> setPassword(Object value) {
        String password = value instanceof String s ? s : "";
        if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD
                || !password.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidInputException(MysqlServiceType.PASSWORD, "the password must have " + MIN_PASSWORD
                    + " to " + MAX_PASSWORD + " printable ASCII characters without spaces");
        }
        call(firstMysql(), MysqlOperations.SET_PASSWORD, Map.of(MysqlOperations.PASSWORD, password));
        othersCaughtUp();
        manager.secrets.forgetUserPassword();
        manager.context.log().info("the password of " + MysqlOperations.USER + " was changed");
        return Map.of("user", MysqlOperations.USER, "changed", true);
    }

    private Object loadDump(UploadedFile file) throws IOException {
        if (file == null) {
            throw new InvalidInputException(MysqlServiceType.DUMP, "load_dump needs an SQL file in " + MysqlServiceType.DUMP);
        }
        checkLooksLikeSql(file.path());
        try {
            Object loaded = manager.context.agents().call(firstMysql(), MysqlOperations.LOAD_DUMP, Map.of(),
                    Map.of(MysqlOperations.DUMP, file.path()));
            othersCaughtUp();
            return loaded;
        } catch (AgentException e) {
            if (e.getMessage() != null && e.getMessage().contains("the dump failed")) {
                throw new InvalidInputException(MysqlServiceType.DUMP, e.getMessage()
                        .substring(e.getMessage().indexOf("the dump failed")));
            }
            throw e;
        }
    }

    /** A dump is text: an empty file, or one with NUL bytes (an archive, an image…) is refused before any node sees it. */
    static void checkLooksLikeSql(Path path) throws IOException {
        if (Files.size(path) == 0) {
            throw new InvalidInputException(MysqlServiceType.DUMP, "the SQL file is empty");
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0;) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == 0) {
                        throw new InvalidInputException(MysqlServiceType.DUMP, "the file is not SQL text (it holds "
                                + "binary data)");
                    }
                }
            }
        }
    }

    private Map<String, Object> meanLoad() {
        List<ServiceNode> members = MysqlManager.byRole(manager.context.nodes(), MysqlServiceType.MYSQL);
        List<Object> loads = manager.context.agents().callAll(members, MysqlOperations.LOAD, Map.of());
        Map<String, Object> perNode = new LinkedHashMap<>();
        Map<String, Double> sums = new LinkedHashMap<>();
        for (int i = 0; i < members.size(); i++) {
            perNode.put(members.get(i).id(), loads.get(i));
            if (loads.get(i) instanceof Map<?, ?> load) {
                load.forEach((key, value) -> sums.merge(String.valueOf(key),
                        value instanceof Number n ? n.doubleValue() : 0.0, Double::sum));
            }
        }
        Map<String, Object> mean = new LinkedHashMap<>();
        sums.forEach((key, sum) -> mean.put(key, Math.round(sum / members.size() * 100) / 100.0));
        return Map.of("nodes", perNode, "mean", mean);
    }

    /** Checked in full first; then applied on every mysql node and kept for nodes added later. */
    private Map<String, String> setParams(Object value) {
        if (!(value instanceof Map<?, ?> requested)) {
            throw new InvalidInputException(MysqlServiceType.PARAMS, "params must be an object, e.g. "
                    + "{\"max_connections\": 200}");
        }
        Map<String, String> checked = MysqlSettings.check(requested);
        manager.context.agents().callAll(MysqlManager.byRole(manager.context.nodes(), MysqlServiceType.MYSQL),
                MysqlOperations.SET_PARAMS, Map.of(MysqlOperations.SETTINGS, checked));
        checked.forEach((name, setting) -> manager.context.state().put(MysqlManager.PARAM_KEY + name, setting));
        manager.context.log().info("server variables set: " + checked);
        return manager.settings();
    }

    private Map<String, List<String>> listNodes() {
        Map<String, List<String>> nodes = new LinkedHashMap<>();
        for (String role : List.of(MysqlServiceType.MYSQL, MysqlServiceType.GLB)) {
            nodes.put(role, MysqlManager.byRole(manager.context.nodes(), role).stream().map(ServiceNode::id).toList());
        }
        return nodes;
    }

    private Map<String, Object> nodeInfo(String id) {
        ServiceNode node = manager.context.nodes().stream().filter(n -> n.id().equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException("the service has no node " + id));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", node.id());
        info.put("role", node.role());
        info.put("address", node.address());
        info.put("port", MysqlOperations.MYSQL_PORT);
        info.put("status", call(node, MysqlOperations.STATUS, Map.of()));
        return info;
    }

    /**
     * After a change made on the first mysql node: every other one has applied it, so the owner's next query finds
     * it whichever node the glb picks (a CI run read a table a dump had just created through the glb, and missed it).
     */
    private void othersCaughtUp() {
        List<ServiceNode> mysql = MysqlManager.byRole(manager.context.nodes(), MysqlServiceType.MYSQL);
        for (ServiceNode other : mysql.subList(1, mysql.size())) {
            try {
                call(other, MysqlOperations.CATCH_UP, Map.of());
            } catch (AgentException e) {
                // the change is made; a node that does not answer gets it from the cluster when it is back
                manager.context.log().warn("mysql node " + other.id() + " could not confirm the change: "
                        + e.getMessage());
            }
        }
    }

    private ServiceNode firstMysql() {
        return MysqlManager.byRole(manager.context.nodes(), MysqlServiceType.MYSQL).get(0);
    }

    private Object call(ServiceNode node, String operation, Map<String, Object> params) {
        return manager.context.agents().call(node, operation, params);
    }
}
