package org.conpaas.service.xtreemfs.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.conpaas.api.agent.AgentPlugin;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.api.service.ServiceType;
import org.conpaas.service.web.agent.Params;
import org.conpaas.service.xtreemfs.VolumeNames;
import org.conpaas.service.xtreemfs.XtreemfsOperations;
import org.conpaas.service.xtreemfs.XtreemfsServiceType;
import org.conpaas.service.web.agent.Daemon;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The node side of the xtreemfs service: the DIR node runs the MooseFS master and a chunkserver, an OSD node a
 * chunkserver. The master's node also changes the namespace (volume folders, goals) through a private admin mount and
 * answers what the master knows (mfscli). Operations run one at a time.
 */
@Component(service = AgentPlugin.class, property = ServiceType.PROPERTY + "=" + XtreemfsServiceType.NAME)
public class XtreemfsAgentPlugin implements AgentPlugin {

    private final NodeEnvironment environment;
    private final MasterServer master;
    private final ChunkServer chunkserver;
    private final AdminMount admin;
    private final MfsCli cli;

    @Activate
    public XtreemfsAgentPlugin(@Reference NodeEnvironment environment) {
        this.environment = environment;
        this.master = new MasterServer(environment);
        this.chunkserver = new ChunkServer(environment);
        this.admin = new AdminMount(environment);
        this.cli = new MfsCli(environment);
    }

    @Override
    public Optional<String> problem() {
        return Daemon.problems(master.problem(), chunkserver.problem());
    }

    /**
     * Runs an administrator's script on the file system's root (see {@link AdminMount}); when it fails because the
     * master died meanwhile, says so rather than only what the script met (mkdir's "Input/output error": the
     * kernel ends a master that outgrows its container's memory limit).
     */
    private void administer(String script, List<String> args) throws IOException {
        try {
            admin.run(environment.address(), script, args);
        } catch (IllegalStateException e) {
            Optional<String> masterDied = master.problem();
            if (masterDied.isPresent()) {
                throw new IllegalStateException(masterDied.get() + " (the starting node, master and OSD, needs about "
                        + "600 MB of memory): " + e.getMessage(), e);
            }
            throw e;
        }
    }

    @Override
    public synchronized Object invoke(String operation, Map<String, Object> params, Map<String, Path> files)
            throws Exception {
        Params p = new Params(params);
        switch (operation) {
            case XtreemfsOperations.START_MASTER -> master.start(p.map(XtreemfsOperations.EXPORTS));
            case XtreemfsOperations.SET_EXPORTS -> master.setExports(p.map(XtreemfsOperations.EXPORTS));
            case XtreemfsOperations.START_OSD -> chunkserver.start(p.addresses(XtreemfsOperations.MASTER).get(0));
            case XtreemfsOperations.MAKE_VOLUME -> administer(
                    "mkdir \"$1/$2\"; mfssetgoal \"$3\" \"$1/$2\" >/dev/null",
                    List.of(VolumeNames.check(p.text(XtreemfsOperations.NAME)), String.valueOf(goal(p))));
            case XtreemfsOperations.REMOVE_VOLUME -> administer(
                    "if [ -d \"$1/$2\" ]; then rm -rf -- \"$1/$2\"; fi",
                    List.of(VolumeNames.check(p.text(XtreemfsOperations.NAME))));
            case XtreemfsOperations.SET_GOAL -> administer(
                    "mfssetgoal -r \"$3\" \"$1/$2\" >/dev/null",
                    List.of(VolumeNames.check(p.text(XtreemfsOperations.NAME)), String.valueOf(goal(p))));
            case XtreemfsOperations.CHUNKSERVERS -> {
                return Map.of("chunkservers", cli.chunkservers());
            }
            case XtreemfsOperations.CHUNK_HEALTH -> {
                return cli.regularChunkHealth();
            }
            case XtreemfsOperations.MARK_FOR_REMOVAL -> chunkserver.mark(!Boolean.FALSE.equals(p.value(XtreemfsOperations.MARKED)));
            case XtreemfsOperations.STOP -> {
                chunkserver.stop();
                master.stop();
            }
            case XtreemfsOperations.STATUS -> {
                return status();
            }
            default -> throw new IllegalArgumentException("unknown operation " + operation);
        }
        return Map.of();
    }

    private static int goal(Params p) {
        int goal = p.optionalInt(XtreemfsOperations.GOAL, 1);
        if (goal < 1 || goal > 9) {
            throw new IllegalArgumentException("a goal is 1 to 9, not " + goal);
        }
        return goal;
    }

    private Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("role", environment.role());
        status.put("master", master.isRunning());
        status.put("chunkserver", chunkserver.isRunning());
        return status;
    }
}
