package org.conpaas.api.cloud;

/**
 * One node to launch: the director's node id, a machine name, the role and the node's user data: its complete boot
 * script ({@code #!/bin/sh}, cloud-init compatible), rendered by the director. A driver hands {@code userData} to its
 * cloud unchanged (or, like the local cloud, runs it itself) and reads nothing in it.
 * <p>
 * The script honours a few environment variables, for drivers that run it themselves; a cloud running it as
 * cloud-init does sets none and gets the defaults: {@value #NODE_DIR_VARIABLE} (the node's folder,
 * {@code /var/lib/conpaas-node}), {@value #MEDIA_DIR_VARIABLE} (its media folder, {@code <node folder>/media}),
 * {@value #AGENT_ADDRESS_VARIABLE} (where the agent listens, {@code 0.0.0.0}), {@value #AGENT_PORT_VARIABLE}
 * ({@value #DEFAULT_AGENT_PORT}) and {@value #FOREGROUND_VARIABLE} ({@code 1}: the script becomes the agent's
 * process instead of starting it in the background). The port the agent listens on is reported by the driver in
 * {@link CloudNode#agentPort()}.
 */
public record NodeLaunch(String nodeId, String name, String role, String userData) {

    public static final String NODE_DIR_VARIABLE = "CONPAAS_NODE_DIR";
    public static final String MEDIA_DIR_VARIABLE = "CONPAAS_MEDIA_DIR";
    public static final String AGENT_ADDRESS_VARIABLE = "CONPAAS_AGENT_ADDRESS";
    public static final String AGENT_PORT_VARIABLE = "CONPAAS_AGENT_PORT";
    public static final String FOREGROUND_VARIABLE = "CONPAAS_AGENT_FOREGROUND";
    /** The port of an agent whose driver does not set {@value #AGENT_PORT_VARIABLE}. */
    public static final int DEFAULT_AGENT_PORT = 5555;
}
