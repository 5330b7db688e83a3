package org.conpaas.service.mysql.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.conpaas.service.mysql.MysqlOperations;

/**
 * A node's private mariadbd configuration. All nodes of the local cloud share one host, so every address Galera
 * listens on is set explicitly to the node's own (Galera's group communication binds 0.0.0.0 unless told otherwise,
 * and the second node on a host would then fail with "Address already in use").
 */
record MariaDbConfig(String address, String nodeName, String clusterName, List<String> peers, Path data, Path socket,
        Path pidFile, Path errorLog, Optional<String> user, Map<String, String> settings) {

    String render() {
        StringBuilder cnf = new StringBuilder("# written by the ConPaaS agent; changes are overwritten\n[mariadbd]\n");
        user.ifPresent(u -> cnf.append("user=").append(u).append('\n'));
        cnf.append("datadir=").append(data).append('\n')
                .append("socket=").append(socket).append('\n')
                .append("pid-file=").append(pidFile).append('\n')
                .append("log-error=").append(errorLog).append('\n')
                .append("bind-address=").append(address).append('\n')
                .append("port=").append(MysqlOperations.MYSQL_PORT).append('\n')
                // root@localhost then matches the socket only: no TCP client is ever "localhost"
                .append("skip-name-resolve=ON\n")
                .append("innodb_buffer_pool_size=64M\n")
                .append("innodb_log_file_size=16M\n")
                .append("performance_schema=OFF\n")
                .append("binlog_format=ROW\n")
                .append("default_storage_engine=InnoDB\n")
                .append("innodb_autoinc_lock_mode=2\n")
                .append("wsrep_on=ON\n")
                .append("wsrep_provider=/usr/lib/galera/libgalera_smm.so\n")
                .append("wsrep_cluster_name=").append(clusterName).append('\n')
                .append("wsrep_cluster_address=gcomm://").append(peers.stream()
                        .map(p -> p + ":" + MysqlOperations.GALERA_PORT).collect(Collectors.joining(","))).append('\n')
                .append("wsrep_node_name=").append(nodeName).append('\n')
                .append("wsrep_node_address=").append(address).append(':').append(MysqlOperations.GALERA_PORT)
                .append('\n')
                .append("wsrep_provider_options=\"gmcast.listen_addr=tcp://").append(address).append(':')
                .append(MysqlOperations.GALERA_PORT).append(";ist.recv_addr=").append(address).append(':')
                .append(MysqlOperations.IST_PORT).append(";gcache.size=64M\"\n")
                .append("wsrep_sst_method=rsync\n")
                .append("wsrep_sst_receive_address=").append(address).append(':').append(MysqlOperations.SST_PORT)
                .append('\n');
        settings.forEach((name, value) -> cnf.append(name).append('=').append(value).append('\n'));
        return cnf.toString();
    }
}
