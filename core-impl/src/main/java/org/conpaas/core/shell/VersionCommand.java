package org.conpaas.core.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.api.model.VersionInfo;

@Service
@Command(scope = "cps", name = "version", description = "Show the director's version and deployment name")
public class VersionCommand extends CpsAction {

    @Override
    protected Object run(String user) {
        VersionInfo version = director.version();
        out().println("ConPaaS director " + version.version() + " (deployment " + version.deploymentName() + ")");
        return null;
    }
}
