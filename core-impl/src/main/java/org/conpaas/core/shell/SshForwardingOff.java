package org.conpaas.core.shell;

import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches off TCP, agent and X11 forwarding on Karaf's ssh server. Karaf 4.4 builds that server with an
 * accept-all forwarding filter and no setting to change it, so any user allowed to log in (a plain tenant too) could
 * open tunnels from the director's host ({@code ssh -L}) to whatever it reaches: other tenants' nodes, JMX, the
 * agents' ports. The console needs no forwarding, so nobody gets it. Karaf registers its server as a service; the
 * filter is read for every forwarding request, so changing it on the running server takes effect at once.
 */
@Component(immediate = true)
public class SshForwardingOff {

    private static final Logger LOG = LoggerFactory.getLogger(SshForwardingOff.class);

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindServer(SshServer server) {
        server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        LOG.info("ssh server on port {}: port, agent and X11 forwarding switched off", server.getPort());
    }

    void unbindServer(SshServer server) {
        // nothing to undo: the server is going away
    }
}
