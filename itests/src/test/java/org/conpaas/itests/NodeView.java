package org.conpaas.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.conpaas.api.model.NodeInfo;

/**
 * How a test on this host sees a node of the cloud under test ("the cloud as a parameter"): a path the node's agent
 * reports, seen from the host, the mount points the node has, and whether an application's agents are all gone.
 */
interface NodeView {

    /** The cloud's name, as a service start names it (null: the default cloud). */
    String cloud();

    /** The file the node knows as {@code pathInNode}, as this host reaches it. */
    Path onHost(NodeInfo node, String pathInNode);

    /** The mount points of the node, as the node names them. */
    List<String> mountPoints(NodeInfo node) throws IOException;

    /** Whether no agent of the application runs any more. */
    boolean agentsGone(long applicationId) throws Exception;

    /** PHP code that yields the machine id of the node running it (the PHP scenario's pages name their node). */
    String phpNodeName();

    /** Checks of the cloud under test on the PHP service's first node (web server and PHP run there). */
    default void checkWebNode(NodeInfo first, String url) throws Exception {
    }

    NodeView LOCAL = new Local();

    /** The local cloud: nodes are processes of this host, which sees what they see. */
    class Local implements NodeView {
        @Override
        public String cloud() {
            return null;
        }

        @Override
        public Path onHost(NodeInfo node, String pathInNode) {
            return Path.of(pathInNode);
        }

        @Override
        public List<String> mountPoints(NodeInfo node) throws IOException {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4]).toList();
        }

        @Override
        public boolean agentsGone(long applicationId) {
            return DirectorTestSupport.agentProcesses(applicationId).isEmpty();
        }

        /** The node's code is in {@code <vmId>/work/code/<version>/}. */
        @Override
        public String phpNodeName() {
            return "basename(dirname(__DIR__, 3))";
        }
    }
}
