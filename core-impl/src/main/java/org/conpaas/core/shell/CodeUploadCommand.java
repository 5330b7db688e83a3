package org.conpaas.core.shell;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.api.action.Completion;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.model.CodeVersionInfo;
import org.conpaas.api.model.UploadedFile;

@Service
@Command(scope = "cps", name = "code-upload",
        description = "Upload a code archive (tar, tar.gz, tar.bz2 or zip on the director's host) as a new code "
                + "version")
public class CodeUploadCommand extends CpsServiceAction {

    @Argument(index = 2, name = "file", description = "The archive (on the director's host)", required = true)
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--description", aliases = "-d", description = "A description of the version")
    String description;

    @Reference(optional = true)
    Session session;

    @Override
    protected Object run(String user) {
        Path archive = hostFiles(session).resolve(file);
        if (!Files.isRegularFile(archive)) {
            throw new InvalidInputException("file", "no such file: " + archive);
        }
        CodeVersionInfo stored = director.uploadCode(user, app, svc,
                new UploadedFile("file", archive.getFileName().toString(), archive), description);
        out().println("uploaded " + archive.getFileName() + " as code version " + stored.id());
        return null;
    }
}
