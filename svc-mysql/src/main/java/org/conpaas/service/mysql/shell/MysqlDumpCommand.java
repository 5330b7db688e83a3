package org.conpaas.service.mysql.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.service.mysql.MysqlServiceType;
import org.conpaas.service.support.shell.ServiceCommand;

/** {@code cps:mysql-dump [-o <file>] <application> <service>}: sqldump, printed or written to a file. */
@Service
@Command(scope = "cps", name = "mysql-dump", description = "Dumps every user database of a MySQL service (SQL)")
public class MysqlDumpCommand extends ServiceCommand {

    @Option(name = "-o", aliases = "--out", description = "Write the dump to this file of the director's host "
            + "(administrators only) instead of printing it")
    String out;

    @Override
    public Object execute() throws IOException {
        // the host file is checked before the dump is made: a refused user costs the cluster nothing
        Path target = out == null ? null : user.hostFile(out);
        Object answer = call(MysqlServiceType.SQLDUMP, Map.of());
        String dump = String.valueOf(answer instanceof Map<?, ?> map ? map.get(MysqlServiceType.DUMP) : answer);
        if (target == null) {
            System.out.print(dump);
        } else {
            Files.writeString(target, dump, StandardCharsets.UTF_8);
            System.out.println("Wrote " + dump.length() + " characters to " + target);
        }
        return null;
    }
}
