package org.conpaas.core.rest;

import org.apache.cxf.logging.FaultListener;
import org.apache.cxf.message.Message;
import org.eclipse.jetty.io.EofException;
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

    /**
     * Whether the failure, or one of its causes, is Jetty's end of the client's connection (a closed or reset socket
     * while writing, or a body cut short while reading); if so it is logged here, at DEBUG. Not any
     * {@code EOFException}: a truncated archive or an agent that hung up on the director is a failure to report.
     */
    static boolean wentAway(Throwable failure) {
        if (ProblemMapper.causes(failure).stream().noneMatch(EofException.class::isInstance)) {
            return false;
        }
        LOG.debug("REST client went away: {}", failure.toString());
        return true;
    }

    @Override
    public boolean faultOccurred(Exception exception, String description, Message message) {
        return !wentAway(exception); // true: CXF logs it as usual
    }
}
