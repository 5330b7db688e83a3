package org.conpaas.core.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.conpaas.api.InvalidInputException;

@Service
@Command(scope = "cps", name = "startup-script-set",
        description = "Set a service's startup script from a file (run on every node created afterwards); "
                + "an empty file clears it")
public class StartupScriptSetCommand extends CpsServiceAction {

    @Argument(index = 2, name = "file", description = "The script (on the director's host)", required = true)
    @Completion(FileCompleter.class)
    String file;

    @Reference(optional = true)
    Session session;

    @Override
    protected Object run(String user) throws IOException {
        Path script = hostFiles(session).resolve(file);
        if (!Files.isRegularFile(script)) {
            throw new InvalidInputException("file", "no such file: " + script);
        }
        String text = Files.readString(script, StandardCharsets.UTF_8);
        director.setStartupScript(user, app, svc, text);
        out().println(text.isBlank() ? "cleared the startup script" : "set the startup script from " + script);
        return null;
    }
}
