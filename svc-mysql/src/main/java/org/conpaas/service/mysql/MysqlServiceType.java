package org.conpaas.service.mysql;

import java.util.List;
import java.util.Map;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.model.ParameterDescriptor;
import org.conpaas.api.model.ParameterType;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * MySQL: a MariaDB Galera multi-master cluster ({@code mysql} nodes) with HAProxy load balancers in front
 * ({@code glb} nodes, the original's Galera Load Balancer role). A new service starts with one mysql node.
 */
@Component(service = ServiceType.class, property = ServiceType.PROPERTY + "=" + MysqlServiceType.NAME,
        configurationPid = MysqlServiceType.PID)
@Designate(ocd = MysqlServiceType.Config.class)
public class MysqlServiceType implements ServiceType {

    public static final String NAME = "mysql";
    public static final String PID = "org.conpaas.service.mysql";
    /** The bounds of a node's volume: Galera's 64 MB cache, InnoDB's files and room for data; 1 TB as for users'. */
    static final int MIN_VOLUME_MB = 256;
    static final int MAX_VOLUME_MB = 1024 * 1024;

    @ObjectClassDefinition(name = "ConPaaS MySQL service", description = "Settings of every MySQL service's nodes; "
            + "applied to nodes added afterwards")
    public @interface Config {
        @AttributeDefinition(description = "The volume of its own each mysql node keeps its data on, in MB (256 to "
                + "1048576; a value outside is taken as the nearest bound); on a cloud without volumes the data stays in the node's work folder")
        int volumeMb() default 1024;
    }
    public static final String MYSQL = "mysql";
    public static final String GLB = "glb";

    /** Service operations. */
    public static final String GET_SERVICE_INFO = "get_service_info";
    public static final String GET_PASSWORD = "get_password";
    public static final String SET_PASSWORD = "set_password";
    public static final String LOAD_DUMP = "load_dump";
    public static final String SQLDUMP = "sqldump";
    public static final String GET_MEAN_LOAD = "get_mean_load";
    public static final String SET_MYSQL_PARAMS = "set_mysql_params";
    public static final String LIST_NODES = "list_nodes";
    public static final String GET_NODE_INFO = "get_node_info";
    /** Parameters. */
    public static final String PASSWORD = "password";
    public static final String DUMP = "dump";
    public static final String PARAMS = "params";
    public static final String NODE_ID = "nodeId";

    private static final List<OperationDescriptor> OPERATIONS = List.of(
            new OperationDescriptor(GET_SERVICE_INFO, "How to connect: host, port, user and the mysql command line",
                    List.of(), true),
            new OperationDescriptor(GET_PASSWORD, "The password the service generated for the user mysqldb, as long "
                    + "as the owner has not set one (then it is not kept anywhere)", List.of(), true),
            new OperationDescriptor(SET_PASSWORD, "Set the password of the user mysqldb (8 to 64 printable ASCII "
                    + "characters, no space)", List.of(ParameterDescriptor.required(PASSWORD, ParameterType.STRING,
                            "the new password")), false),
            new OperationDescriptor(LOAD_DUMP, "Apply an SQL file (e.g. from mysqldump) through the cluster",
                    List.of(ParameterDescriptor.required(DUMP, ParameterType.FILE, "the SQL file")), false),
            new OperationDescriptor(SQLDUMP, "A consistent dump of every user database (field dump)", List.of(),
                    true),
            new OperationDescriptor(GET_MEAN_LOAD, "Per mysql node and on average: statements per second and "
                    + "wsrep_local_recv_queue_avg", List.of(), true),
            new OperationDescriptor(SET_MYSQL_PARAMS, "SET GLOBAL server variables on every mysql node, e.g. "
                    + "{\"max_connections\": 200}; allowed: " + MysqlSettings.allowed(),
                    List.of(ParameterDescriptor.required(PARAMS, ParameterType.JSON, "variable → value")), false),
            new OperationDescriptor(LIST_NODES, "The node ids by role", List.of(), true),
            new OperationDescriptor(GET_NODE_INFO, "One node: role, address, port and its Galera state",
                    List.of(ParameterDescriptor.required(NODE_ID, ParameterType.STRING, "the node id")), true));

    private final int volumeMb;

    @Activate
    public MysqlServiceType(Config config) {
        // a bad value must not take the type away from running services: the nearest bound (as described)
        this.volumeMb = Math.max(MIN_VOLUME_MB, Math.min(MAX_VOLUME_MB, config.volumeMb()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "MySQL: MariaDB Galera multi-master cluster (mysql nodes) behind HAProxy load balancers (glb nodes)";
    }

    @Override
    public List<String> roles() {
        return List.of(MYSQL, GLB);
    }

    @Override
    public Map<String, Integer> startingNodes() {
        return Map.of(MYSQL, 1);
    }

    @Override
    public List<OperationDescriptor> operations() {
        return OPERATIONS;
    }

    @Override
    public ServiceManager createManager(ServiceContext context) {
        return new MysqlManager(context, volumeMb);
    }
}
