package org.conpaas.core.internal.bootstrap;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * How new nodes boot: the bootstrap settings of {@code etc/org.conpaas.director.cfg}, read together with the HTTPS
 * port of {@code etc/org.conpaas.https.cfg} (for the default URL). Every setting applies to the nodes launched next.
 */
@ObjectClassDefinition(name = "ConPaaS node bootstrap", description = "How new nodes download the agent and start "
        + "it; a change applies to the nodes launched next")
public @interface BootstrapConfig {

    @AttributeDefinition(description = "The agent runtime tarball new nodes download; empty means "
            + "${karaf.home}/agent/conpaas-agent.tar.gz")
    String agentArchive() default "";

    @AttributeDefinition(description = "Base URL at which nodes reach the director's bootstrap endpoints "
            + "(…/api/v1/nodes/bootstrap); empty means https://127.0.0.1:<HTTPS port>/api/v1/nodes/bootstrap, "
            + "right for the local cloud; a real cloud needs an address its machines can reach")
    String nodeBootstrapUrl() default "";

    @AttributeDefinition(description = "Seconds a node's one-time bootstrap token stays valid")
    int nodeBootstrapTokenSeconds() default 900;

    /** From {@code org.conpaas.https.cfg}: whether the director serves HTTPS at all. */
    @AttributeDefinition(description = "Whether HTTPS is on (etc/org.conpaas.https.cfg)")
    boolean enabled() default true;

    /** From {@code org.conpaas.https.cfg}: the HTTPS port of the default URL. */
    @AttributeDefinition(description = "TCP port of HTTPS (etc/org.conpaas.https.cfg)")
    int port() default 8443;
}
