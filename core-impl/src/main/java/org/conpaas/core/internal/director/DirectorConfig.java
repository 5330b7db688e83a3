package org.conpaas.core.internal.director;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.conpaas.director.cfg}. */
@ObjectClassDefinition(name = "ConPaaS director", description = "Settings of the ConPaaS director")
public @interface DirectorConfig {

    @AttributeDefinition(description = "Prefix of machine names in the clouds")
    String deploymentName() default "conpaas";

    @AttributeDefinition(description = "The user every call acts as until accounts exist")
    String defaultUser() default "admin";

    @AttributeDefinition(description = "The agent runtime tarball given to new nodes; empty means "
            + "${karaf.home}/agent/conpaas-agent.tar.gz")
    String agentArchive() default "";

    @AttributeDefinition(description = "TCP port of the agents")
    int agentPort() default 5555;

    @AttributeDefinition(description = "Seconds a new node may take until its agent answers")
    int nodeStartTimeoutSeconds() default 120;

    @AttributeDefinition(description = "Folder for service logs; empty means ${karaf.data}/conpaas")
    String dataDir() default "";
}
