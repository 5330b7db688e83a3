package org.conpaas.agent.launcher;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/** Routes the framework's own messages (resolution errors, bundle failures) to agent.log instead of stdout. */
final class FelixJulLogger extends org.apache.felix.framework.Logger {

    private static final Logger LOG = Logger.getLogger("org.apache.felix.framework");

    @Override
    protected void doLog(Bundle bundle, @SuppressWarnings("rawtypes") ServiceReference sr, int level, String msg,
            Throwable throwable) {
        String text = bundle == null ? msg : "[" + bundle.getSymbolicName() + "] " + msg;
        LOG.log(toJul(level), text, throwable);
    }

    private static Level toJul(int level) {
        switch (level) {
            case LOG_ERROR:
                return Level.SEVERE;
            case LOG_WARNING:
                return Level.WARNING;
            case LOG_INFO:
                return Level.INFO;
            default:
                return Level.FINE;
        }
    }
}
