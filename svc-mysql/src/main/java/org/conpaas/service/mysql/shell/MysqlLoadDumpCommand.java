package org.conpaas.service.mysql.shell;

import java.util.Map;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.service.mysql.MysqlServiceType;
import org.conpaas.service.support.shell.ServiceCommand;

/** {@code cps:mysql-load-dump <application> <service> <file>}: load_dump with an SQL file of the director's host. */
@Service
@Command(scope = "cps", name = "mysql-load-dump", description = "Applies an SQL dump to a MySQL service")
public class MysqlLoadDumpCommand extends ServiceCommand {

    @Argument(index = 2, name = "file", required = true, description = "The SQL file, a path on the director's "
            + "host (administrators only; plain users upload through the REST API)")
    String file;

    @Override
    public Object execute() {
        UploadedFile dump = hostUpload(MysqlServiceType.DUMP, file);
        call(MysqlServiceType.LOAD_DUMP, Map.of(), Map.of(MysqlServiceType.DUMP, dump));
        System.out.println("Loaded " + dump.fileName() + ".");
        return null;
    }
}
