package org.conpaas.core.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.conpaas.api.model.UploadedFile;

@Service
@Command(scope = "cps", name = "code-download",
        description = "Save the original archive of a code version (on the director's host)")
public class CodeDownloadCommand extends CpsServiceAction {

    @Argument(index = 2, name = "version", description = "Code version id (code-XXXXXX)", required = true)
    String version;

    @Option(name = "--out", description = "The file to write; default ./<original file name>")
    String target;

    @Reference(optional = true)
    Session session;

    @Override
    protected Object run(String user) throws IOException {
        UploadedFile archive = director.downloadCode(user, app, svc, version);
        Path file = hostFiles(session).resolve(target == null ? archive.fileName() : target);
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.copy(archive.path(), temporary, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        out().println("wrote code version " + version + " to " + file);
        return null;
    }
}
