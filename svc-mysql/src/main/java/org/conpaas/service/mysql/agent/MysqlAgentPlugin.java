package org.conpaas.service.mysql.agent;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.conpaas.api.agent.AgentPlugin;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.service.ServiceType;
import org.conpaas.service.mysql.MysqlOperations;
import org.conpaas.service.mysql.MysqlServiceType;
import org.conpaas.service.mysql.MysqlSettings;
import org.conpaas.service.web.agent.Params;
import org.conpaas.service.web.agent.Daemon;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The node side of the MySQL service: a mysql node runs its own mariadbd in the service's Galera cluster, a glb node
 * runs HAProxy in front of them. The servers outlive a plug-in update (found again under their process names); the
 * agent stops them when it stops. Operations run one at a time.
 */
@Component(service = AgentPlugin.class, property = ServiceType.PROPERTY + "=" + MysqlServiceType.NAME)
public class MysqlAgentPlugin implements AgentPlugin {

    private final NodeEnvironment environment;
    private final MariaDbNode mysql;
    private final DatabaseTasks tasks;
    private final Balancer balancer;

    @Activate
    public MysqlAgentPlugin(@Reference NodeEnvironment environment) {
        this.environment = environment;
        this.mysql = new MariaDbNode(environment, NodeAccount.current());
        this.tasks = new DatabaseTasks(environment, mysql);
        this.balancer = new Balancer(environment);
    }

    /** Not synchronized: a long operation (a dump) must not hold up the director's health checks. */
    @Override
    public Optional<String> problem() {
        return Daemon.problems(mysql.problem(), balancer.problem());
    }

    /** Transactions and queries of the node's mariadbd; not synchronized either. */
    @Override
    public Map<String, Double> metrics() {
        return tasks.figures();
    }

    @Override
    public synchronized Object invoke(String operation, Map<String, Object> params, Map<String, Path> files)
            throws Exception {
        Params p = new Params(params);
        switch (operation) {
            case MysqlOperations.START_MYSQL -> {
                String clusterName = p.text(MysqlOperations.CLUSTER_NAME);
                if (!clusterName.matches("[A-Za-z0-9_.-]{1,60}")) {
                    throw new IllegalArgumentException("invalid cluster name " + clusterName);
                }
                return mysql.start(Boolean.TRUE.equals(p.value(MysqlOperations.BOOTSTRAP)),
                        p.addresses(MysqlOperations.PEERS), clusterName, p.text(MysqlOperations.ROOT_PASSWORD),
                        p.map(MysqlOperations.SETTINGS).isEmpty() ? Map.of()
                                : MysqlSettings.check(p.map(MysqlOperations.SETTINGS)));
            }
            case MysqlOperations.STOP_MYSQL -> mysql.stop();
            case MysqlOperations.UPDATE_PEERS -> mysql.updatePeers(p.addresses(MysqlOperations.PEERS));
            case MysqlOperations.SETUP_ACCOUNTS -> tasks.setupAccounts(p.text(MysqlOperations.PASSWORD),
                    p.text(MysqlOperations.MONITOR_PASSWORD));
            case MysqlOperations.SET_PASSWORD -> tasks.setPassword(p.text(MysqlOperations.PASSWORD));
            case MysqlOperations.CATCH_UP -> tasks.catchUp();
            case MysqlOperations.SET_PARAMS -> {
                return tasks.setParams(p.map(MysqlOperations.SETTINGS));
            }
            case MysqlOperations.LOAD_DUMP -> {
                Path dump = files.get(MysqlOperations.DUMP);
                if (dump == null) {
                    throw new IllegalArgumentException("load_dump needs the file " + MysqlOperations.DUMP);
                }
                return tasks.loadDump(dump);
            }
            case MysqlOperations.SQLDUMP -> {
                return tasks.sqldump();
            }
            case MysqlOperations.LOAD -> {
                return tasks.load(Math.min(5, Math.max(1, p.optionalInt(MysqlOperations.SECONDS, 1))));
            }
            case MysqlOperations.DRAIN -> {
                return tasks.drain(Math.min(60, Math.max(0, p.optionalInt(MysqlOperations.SECONDS, 30))));
            }
            case MysqlOperations.START_GLB -> {
                return balancer.apply(p.addresses(MysqlOperations.BACKENDS),
                        p.text(MysqlOperations.MONITOR_PASSWORD));
            }
            case MysqlOperations.STOP_GLB -> balancer.stop();
            case MysqlOperations.MAKE_PRIMARY -> {
                return mysql.makePrimary(p.optionalInt(MysqlOperations.MEMBERS, 1));
            }
            case MysqlOperations.STATUS -> {
                return status();
            }
            default -> throw new IllegalArgumentException("unknown operation " + operation);
        }
        return Map.of();
    }

    private Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("role", environment.role());
        if (MysqlServiceType.GLB.equals(environment.role())) {
            status.put("running", balancer.isRunning());
        } else {
            status.putAll(mysql.status());
        }
        return status;
    }
}
