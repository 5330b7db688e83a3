package org.conpaas.core.rest;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.osgi.service.http.runtime.dto.RuntimeDTO;
import org.osgi.service.http.runtime.dto.ServletContextDTO;
import org.osgi.service.http.runtime.dto.ServletDTO;

/** Jetty changes wait for the API's servlet at /api/* in Pax Web's runtime description. */
public class ServedApiTest {

    @Test
    public void theApiIsServedWhenSomeContextHasAServletAtApi() {
        assertTrue(ServedApi.serves(runtime(context(), context("/console/*"), context("/x/*", "/api/*"))));
    }

    @Test
    public void notServedBeforeCxfRegisteredItsServletOrWithoutARuntime() {
        assertFalse(ServedApi.serves(null));
        assertFalse(ServedApi.serves(new RuntimeDTO()));
        assertFalse(ServedApi.serves(runtime(context(), context("/apis/*"))));
        ServletContextDTO noServlets = new ServletContextDTO();
        assertFalse(ServedApi.serves(runtime(noServlets)));
    }

    private static RuntimeDTO runtime(ServletContextDTO... contexts) {
        RuntimeDTO runtime = new RuntimeDTO();
        runtime.servletContextDTOs = contexts;
        return runtime;
    }

    private static ServletContextDTO context(String... patterns) {
        ServletContextDTO context = new ServletContextDTO();
        ServletDTO servlet = new ServletDTO();
        servlet.patterns = patterns;
        context.servletDTOs = new ServletDTO[] {servlet};
        return context;
    }
}
