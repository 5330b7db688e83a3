package org.conpaas.service.mysql.shell;

import java.util.Map;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.service.mysql.MysqlServiceType;
import org.conpaas.service.support.shell.ServiceCommand;

/** {@code cps:mysql-info <application> <service>}: how to connect (get_service_info), one setting per line. */
@Service
@Command(scope = "cps", name = "mysql-info", description = "Shows how to connect to a MySQL service")
public class MysqlInfoCommand extends ServiceCommand {

    @Override
    public Object execute() {
        Object info = call(MysqlServiceType.GET_SERVICE_INFO, Map.of());
        if (info instanceof Map<?, ?> map) {
            map.forEach((key, value) -> System.out.println(key + ": " + value));
        } else {
            System.out.println(info);
        }
        return null;
    }
}
