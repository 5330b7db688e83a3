package org.conpaas.core.rest;

import org.apache.cxf.BusFactory;
import org.conpaas.api.director.Director;
import org.conpaas.core.internal.security.Callers;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the REST API on CXF's default bus, whose HTTP transport is the CXF servlet (mounted at {@code /api}
 * by the distribution's {@code org.apache.cxf.osgi.cfg}). Present exactly while the director and the caller
 * source are.
 */
@Component(immediate = true)
public class RestPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(RestPublisher.class);

    private final RestServers servers;

    @Activate
    public RestPublisher(@Reference(name = "director") Director director,
            @Reference(name = "callers") Callers callers) {
        this.servers = RestServers.publish(BusFactory.getDefaultBus(true), director, callers);
        LOG.info("REST API published at {} and {}", RestServers.API_ADDRESS, RestServers.OPENAPI_ADDRESS);
    }

    @Deactivate
    void deactivate() {
        servers.close();
    }
}
