package org.conpaas.core.rest;

import java.io.EOFException;
import org.apache.cxf.logging.FaultListener;
import org.apache.cxf.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client that closes its connection before its answer is written (a load tool stopping, a browser tab closed) is
 * not the director's failure. CXF logs every failure of its chains as a WARN with a stack trace, which let any client
 * fill the log by hanging up; this listener, a bus property CXF asks first, keeps those to one DEBUG line and leaves
 * every other failure to CXF's own logging.
 */
final class ClientHungUp implements FaultListener {

    private static final Logger LOG = LoggerFactory.getLogger(ClientHungUp.class);

    /** Whether the failure, or one of its causes, is the end of the client's stream (Jetty's EofException is one). */
    static boolean isCause(Throwable failure) {
        return ProblemMapper.causes(failure).stream().anyMatch(EOFException.class::isInstance);
    }

    @Override
    public boolean faultOccurred(Exception exception, String description, Message message) {
        if (isCause(exception)) {
            LOG.debug("REST client went away: {}", exception.toString());
            return false;
        }
        return true;
    }
}
