package org.conpaas.service.mysql.shell;

import java.util.Map;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.service.mysql.MysqlServiceType;
import org.conpaas.service.support.shell.ServiceCommand;

/**
 * {@code cps:mysql-password [--set <password>] <application> <service>}: shows the password of the user
 * {@code mysqldb} (get_password), or sets a new one (set_password).
 */
@Service
@Command(scope = "cps", name = "mysql-password", description = "Shows the password of the MySQL service's user "
        + "mysqldb, or sets it with --set")
public class MysqlPasswordCommand extends ServiceCommand {

    @Option(name = "--set", description = "The new password (at least 8 characters)")
    String newPassword;

    @Override
    public Object execute() {
        if (newPassword != null) {
            call(MysqlServiceType.SET_PASSWORD, Map.of(MysqlServiceType.PASSWORD, newPassword));
            System.out.println("The password of mysqldb is changed.");
            return null;
        }
        Object answer = call(MysqlServiceType.GET_PASSWORD, Map.of());
        System.out.println(answer instanceof Map<?, ?> map ? map.get(MysqlServiceType.PASSWORD) : answer);
        return null;
    }
}
