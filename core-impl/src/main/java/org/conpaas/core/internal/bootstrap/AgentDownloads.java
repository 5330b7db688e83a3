package org.conpaas.core.internal.bootstrap;

import java.nio.file.Path;

/** What the REST endpoint asks of the bootstrap: the agent runtime, for a valid one-time token. */
public interface AgentDownloads {

    /**
     * The agent runtime archive for the bearer of {@code token}, which is used up by this call.
     *
     * @throws org.conpaas.api.AuthenticationException when the token is missing, unknown, used or expired
     */
    Path agentRuntime(String token);
}
