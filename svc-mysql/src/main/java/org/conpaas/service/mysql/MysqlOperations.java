package org.conpaas.service.mysql;

/** The agent operations of the MySQL service and their parameters: the contract between manager and nodes. */
public final class MysqlOperations {

    /** Starts (or joins) mariadbd on a mysql node and waits until it is Synced. */
    public static final String START_MYSQL = "start_mysql";
    /** Stops mariadbd cleanly: the node leaves the cluster. */
    public static final String STOP_MYSQL = "stop_mysql";
    /** Rewrites the node's cluster address list for its next start (a running node is not touched). */
    public static final String UPDATE_PEERS = "update_peers";
    /** On the first node at start: root's password, the mysqldb and monitor users, no anonymous users or test db. */
    public static final String SETUP_ACCOUNTS = "setup_accounts";
    public static final String SET_PASSWORD = "set_password";
    public static final String SET_PARAMS = "set_params";
    public static final String LOAD_DUMP = "load_dump";
    public static final String SQLDUMP = "sqldump";
    /**
     * Returns once the node has applied every write the cluster had committed when it was called (a read with
     * {@code wsrep_sync_wait}): after a change made on one node, the others answer with it.
     */
    public static final String CATCH_UP = "catch_up";
    /** wsrep state, cluster size and whether mariadbd / haproxy run. */
    public static final String STATUS = "status";
    /** Rates of Com_* and the receive queue average over a short sample. */
    public static final String LOAD = "load";
    /** Waits (bounded) until no client connection is left on the node. */
    public static final String DRAIN = "drain";
    /**
     * Makes the node's partition the primary component again (pc.bootstrap) after the others died: the director has
     * declared them FAILED and terminates them, so they cannot come back as a second primary.
     */
    public static final String MAKE_PRIMARY = "make_primary";
    public static final String START_GLB = "start_glb";
    public static final String STOP_GLB = "stop_glb";

    /** Parameters. */
    public static final String BOOTSTRAP = "bootstrap";
    public static final String PEERS = "peers";
    public static final String CLUSTER_NAME = "clusterName";
    public static final String ROOT_PASSWORD = "rootPassword";
    public static final String PASSWORD = "password";
    public static final String MONITOR_PASSWORD = "monitorPassword";
    public static final String SETTINGS = "settings";
    public static final String BACKENDS = "backends";
    public static final String SECONDS = "seconds";
    public static final String DUMP = "dump";
    public static final String MEMBERS = "members";

    /** Ports: every node has an address of its own, so each uses the standard ports on it. */
    public static final int MYSQL_PORT = 3306;
    public static final int GALERA_PORT = 4567;
    public static final int IST_PORT = 4568;
    public static final int SST_PORT = 4444;
    public static final int GLB_PORT = 3306;

    /** The users the service creates. */
    public static final String USER = "mysqldb";
    public static final String MONITOR_USER = "conpaas_monitor";

    private MysqlOperations() {
    }
}
