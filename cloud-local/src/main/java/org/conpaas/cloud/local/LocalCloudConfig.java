package org.conpaas.cloud.local;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One local cloud, configured as a factory configuration {@code org.conpaas.cloud.local-<name>.cfg}. */
@ObjectClassDefinition(name = "ConPaaS local cloud",
        description = "Runs each node as an agent process on this host, with its own loopback address (or, with "
                + "network = namespace and a director running as root, in a network namespace of its own on a private "
                + "bridge). javaHome and "
                + "javaOptions apply live to the nodes launched next; the other settings are read when the driver "
                + "starts and need a restart of the director (running nodes are kept)")
public @interface LocalCloudConfig {

    @AttributeDefinition(description = "The cloud's name, as users select it; nodes are recorded under it. "
            + "Read at start: a change needs a restart")
    String name() default "default";

    @AttributeDefinition(description = "Loopback addresses given to nodes, first-last (inside 127.0.0.0/8). Read at "
            + "start: a change needs a restart")
    String addressRange() default "127.1.0.1-127.1.255.254";

    @AttributeDefinition(description = "The port every agent listens on (each node has its own address); the only "
            + "place the local cloud's agent port is set, reported to the director with each node. Read at start: a "
            + "change needs a restart")
    int port() default 5555;

    @AttributeDefinition(description = "Where node directories, address reservations and volumes live; "
            + "${system.property} placeholders are resolved. Read at start: a change needs a restart (and the "
            + "folder moved by hand)")
    String dataDir() default "${karaf.data}/cloud-local";

    @AttributeDefinition(description = "JAVA_HOME for the agents; empty means the director's own Java. Applies to "
            + "the nodes launched next")
    String javaHome() default "";

    @AttributeDefinition(description = "When the director runs as root, each node runs as an account of its own: a uid "
            + "(and a group of the same number) from this range, first-last, which no host account may use. Read at "
            + "start: a change needs a restart")
    String nodeUids() default "2000000000-2000999999";

    @AttributeDefinition(description = "AGENT_JAVA_OPTS for the agents, after the agent's own defaults (C1 only, "
            + "serial GC: see agent/dist's conpaas-agent); applies to the nodes launched next")
    // Only what differs from the agent's own defaults: many agents share this host, so a smaller heap, stacks and
    // code cache per node.
    String javaOptions() default "-Xmx48m -Xss512k -XX:ReservedCodeCacheSize=16m";

    @AttributeDefinition(description = "loopback: every node listens on its own address of addressRange on this "
            + "host's network (no root needed). namespace: every node runs in a network namespace of its own with an "
            + "address on a private bridge the driver creates (see bridge, bridgeAddress; addressRange is then "
            + "unused); needs the director to run as root. Read at start: change it only with no node running")
    String network() default "loopback";

    @AttributeDefinition(description = "namespace mode: the name of the bridge the driver creates (1 to 10 lower-case "
            + "letters and digits); the nodes' namespaces are named <bridge>-<vmId>. Read at start")
    String bridge() default "cpsns0";

    @AttributeDefinition(description = "namespace mode: the bridge's address with the subnet's prefix length, in a "
            + "private-use block; nodes get the addresses after it. Read at start")
    String bridgeAddress() default "198.19.0.1/24";
}
