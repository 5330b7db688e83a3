package org.conpaas.agent.core.plugins;

/** A pushed plug-in bundle could not be installed, resolved or did not register its plug-in in time. */
public final class PluginInstallException extends Exception {
    private static final long serialVersionUID = 1L;

    public PluginInstallException(String message, Throwable cause) {
        super(message, cause);
    }
}
