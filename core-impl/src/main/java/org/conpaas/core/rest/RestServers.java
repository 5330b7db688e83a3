package org.conpaas.core.rest;

import java.util.List;
import java.util.function.LongSupplier;

import org.apache.cxf.Bus;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.apache.cxf.logging.FaultListener;
import org.conpaas.api.ForbiddenException;
import org.conpaas.api.director.Director;
import org.conpaas.core.internal.bootstrap.AgentDownloads;
import org.conpaas.core.internal.monitoring.NodeLoads;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.jaxrs.json.JacksonJsonProvider;

/**
 * The two JAX-RS endpoints of the director on a CXF bus: the API at {@code /v1} and its OpenAPI document at
 * {@code /openapi.json}. Under the CXF servlet mounted at {@code /api} they are {@code /api/v1/...} and
 * {@code /api/openapi.json}.
 */
public final class RestServers implements AutoCloseable {

    public static final String API_ADDRESS = "/v1";
    public static final String OPENAPI_ADDRESS = "/openapi.json";
    /** Where the API is seen by clients, given the servlet's {@code /api} context. */
    public static final String PUBLIC_API_BASE = "/api" + API_ADDRESS;

    private final List<Server> servers;

    private RestServers(List<Server> servers) {
        this.servers = servers;
    }

    /** The endpoint of the API itself (not of its document), as CXF published it. */
    Server api() {
        return servers.get(0);
    }

    /**
     * @param authentication authenticates every call of the API (not of the OpenAPI document, which is public)
     */
    public static RestServers publish(Bus bus, Director director, RestAuthentication authentication) {
        return publish(bus, director, authentication, DEFAULT_MAX_UPLOAD_BYTES);
    }

    /** The code store's default maxArchiveMb. */
    static final long DEFAULT_MAX_UPLOAD_BYTES = 100L * 1024 * 1024;

    /**
     * @param authentication authenticates every call of the API (not of the OpenAPI document, which is public)
     * @param maxUploadBytes the most a multipart body (code upload, operation with files) may carry
     */
    public static RestServers publish(Bus bus, Director director, RestAuthentication authentication,
            long maxUploadBytes) {
        return publish(bus, director, authentication, () -> maxUploadBytes);
    }

    /**
     * @param authentication authenticates every call of the API (not of the OpenAPI document, which is public)
     * @param maxUploadBytes the most a multipart body (code upload, operation with files) may carry, asked at each
     *                       upload, so a changed configuration applies without publishing again
     */
    public static RestServers publish(Bus bus, Director director, RestAuthentication authentication,
            LongSupplier maxUploadBytes) {
        return publish(bus, director, authentication, maxUploadBytes, NO_DOWNLOADS);
    }

    /** Bootstrap downloads for a publisher without them: every token is refused. */
    static final AgentDownloads NO_DOWNLOADS = token -> {
        throw new ForbiddenException("this director hands out no agent runtime");
    };

    /**
     * @param downloads what booting nodes download with their one-time tokens
     */
    public static RestServers publish(Bus bus, Director director, RestAuthentication authentication,
            LongSupplier maxUploadBytes, AgentDownloads downloads) {
        return publish(bus, director, authentication, maxUploadBytes, downloads, NodeLoads.NONE);
    }

    /**
     * @param loads the nodes' recent load, for the console's charts and Prometheus
     */
    public static RestServers publish(Bus bus, Director director, RestAuthentication authentication,
            LongSupplier maxUploadBytes, AgentDownloads downloads, NodeLoads loads) {
        ObjectMapper mapper = RestJson.mapper();
        JacksonJsonProvider json = RestJson.provider(mapper);
        chooseWritersQuickly(bus);
        bus.setProperty(FaultListener.class.getName(), new ClientHungUp());
        // CXF looks up its extensions through the thread's context class loader; in OSGi that must be CXF's own.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(JAXRSServerFactoryBean.class.getClassLoader());
        Server api = null;
        try {
            // The document is generated from exactly these resources, so nothing published is left out of it.
            List<Object> resources = List.of(
                    new SystemResource(director),
                    new ApplicationsResource(director),
                    new ServicesResource(director, mapper),
                    new NodesResource(director),
                    new OperationsResource(director, mapper, maxUploadBytes),
                    new CodeResource(director, maxUploadBytes),
                    new StartupScriptResource(director),
                    new VolumesResource(director),
                    new UsersResource(director),
                    new CertificateResource(director),
                    new BootstrapResource(downloads),
                    new SessionResource(authentication),
                    new LoadResource(director, loads),
                    new MetricsResource(director, loads));
            api = create(bus, API_ADDRESS, List.of(json, new RequestBodyBounds(), authentication), resources);
            Server doc = create(bus, OPENAPI_ADDRESS, List.of(json), List.of(new OpenApiResource(
                    OpenApiGenerator.generate("ConPaaS director API", versionOf(director), PUBLIC_API_BASE,
                            resources.stream().<Class<?>>map(Object::getClass).toList()))));
            return new RestServers(List.of(api, doc));
        } catch (RuntimeException e) {
            if (api != null) {
                api.destroy();
            }
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * CXF picks an answer's body writer from a cache keyed by type and media type, but by default caches only the
     * first writer whose media types and class match, which for our JSON is one that then declines it (Jettison's
     * JSON provider or the binary one, which sort before Jackson's {@code *}/{@code *}): every answer then fell back
     * to matching all writers again, parsing their {@code @Produces} each time (14 % of a small GET's CPU). Caching
     * every candidate finds Jackson among them; Jettison's provider, which only writes JAXB beans, of which the API
     * has none, is not registered at all. Bus properties, read when an endpoint is created.
     */
    static void chooseWritersQuickly(Bus bus) {
        bus.setProperty("org.apache.cxf.jaxrs.provider.cache.checkAllCandidates", true);
        bus.setProperty("skip.default.json.provider.registration", true);
    }

    private static Server create(Bus bus, String address, List<Object> providers, List<Object> resources) {
        JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
        factory.setBus(bus);
        factory.setAddress(address);
        factory.setServiceBeans(resources);
        List<Object> all = new java.util.ArrayList<>(providers);
        all.add(new ProblemMapper());
        all.add(new WebApplicationProblemMapper());
        factory.setProviders(all);
        factory.getOutInterceptors().add(new ResponseDate());
        return factory.create();
    }

    private static String versionOf(Director director) {
        try {
            return director.version().version();
        } catch (RuntimeException e) {
            return "unknown"; // the document must not depend on the director answering at publish time
        }
    }

    @Override
    public void close() {
        servers.forEach(Server::destroy);
    }
}
