package org.conpaas.core.rest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.servlet.DispatcherType;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.conpaas.api.model.UserInfo;
import org.conpaas.core.internal.bootstrap.AgentDownloads;
import org.conpaas.core.internal.security.BouncyCastlePki;
import org.conpaas.core.internal.security.CertificateZip;
import org.conpaas.core.internal.security.HttpsKeyStores;
import org.conpaas.core.internal.security.MapAccounts;
import org.conpaas.core.internal.security.UserCertificateService;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs the REST API as in Karaf: the CXF servlet mounted at {@code /api} in Jetty 9.4, bound to 127.0.0.1 on a
 * free port, with our endpoints published on the servlet's bus; next to it an HTTPS connector as pax-web makes it
 * (the director's certificate, our CA as trust store, client certificates wanted). Users are checked through a
 * JAAS realm over {@link MapAccounts}; {@link #send} logs in as the harness user with HTTP Basic.
 */
final class RestHarness implements AutoCloseable {

    static {
        // keep test output readable; must run before the first logger is created
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    private final Server jetty;
    private final Bus bus;
    private final RestServers servers;
    private final org.apache.cxf.endpoint.Server fallback;
    /** What the fallback endpoint (ApiFallback) is told about the API; published, as in a booted director. */
    final java.util.concurrent.atomic.AtomicBoolean apiPublished = new java.util.concurrent.atomic.AtomicBoolean(true);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Path pkiDirectory;
    private final String user;
    final URI base;
    final URI secureBase;
    final MapAccounts accounts;
    final BouncyCastlePki pki;
    /** What booting nodes download; set by a test (none at first: every token is refused). */
    volatile AgentDownloads downloads = RestServers.NO_DOWNLOADS;
    final UserCertificateService certificates;
    /** The nodes' loads the API reports; set by a test (none at first). */
    volatile org.conpaas.core.internal.monitoring.NodeLoads loads = org.conpaas.core.internal.monitoring.NodeLoads.NONE;

    RestHarness(FakeDirector director, String user) throws Exception {
        this(director, user, RestServers.DEFAULT_MAX_UPLOAD_BYTES);
    }

    RestHarness(FakeDirector director, String user, long maxUploadBytes) throws Exception {
        this(director, user, maxUploadBytes, DEFAULT_MAX_THREADS);
    }

    /** Jetty's own default. */
    static final int DEFAULT_MAX_THREADS = 200;

    /** @param maxThreads the most threads Jetty has for accepting, selecting and serving requests together */
    RestHarness(FakeDirector director, String user, long maxUploadBytes, int maxThreads) throws Exception {
        this.user = user;
        accounts = new MapAccounts().add(user, password(user)).add("root", password("root"), UserInfo.ROLE_ADMIN);
        pkiDirectory = Files.createTempDirectory("rest-pki");
        pki = new BouncyCastlePki(pkiDirectory);
        certificates = new UserCertificateService(pki, accounts);
        bus = BusFactory.newInstance().createBus();
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        // the director's servlet (ApiServlet), with the init parameters and async support of its registration
        ServletHolder holder = new ServletHolder(ApiServlet.servlet(bus));
        ApiServlet.INIT_PARAMETERS.forEach(holder::setInitParameter);
        holder.setAsyncSupported(true);
        context.addServlet(holder, ApiServlet.PATTERN);
        context.addServlet(new ServletHolder(new RootMetricsServlet()), RootMetricsServlet.PATTERN);
        // as the whiteboard places the guard: a filter in front of every servlet, allowing suspended requests
        FilterHolder guard = new FilterHolder(new MalformedRequestGuard());
        guard.setAsyncSupported(true);
        context.addFilter(guard, MalformedRequestGuard.PATTERN, EnumSet.of(DispatcherType.REQUEST));
        jetty = new Server(new QueuedThreadPool(maxThreads, Math.min(8, maxThreads)));
        ServerConnector plain = new ServerConnector(jetty);
        plain.setHost("127.0.0.1");
        jetty.addConnector(plain);
        jetty.addConnector(httpsConnector());
        // graceful stop: let a response that the client already read finish its write before the port closes
        StatisticsHandler inFlight = new StatisticsHandler();
        inFlight.setHandler(context);
        jetty.setHandler(inFlight);
        jetty.setStopTimeout(2000);
        jetty.start();
        fallback = ApiFallback.publish(bus, apiPublished::get);
        servers = RestServers.publish(bus, director, new RestAuthentication(
                (name, password) -> accounts.checkPassword(name, new String(password)),
                certificates, name -> accounts.find(name).map(UserInfo::roles).orElse(Set.of())), () -> maxUploadBytes,
                token -> downloads.agentRuntime(token), new org.conpaas.core.internal.monitoring.NodeLoads() {
                    @Override
                    public java.util.List<org.conpaas.core.internal.monitoring.NodeLoad> of(
                            java.util.Collection<String> nodeIds) {
                        return loads.of(nodeIds);
                    }

                    @Override
                    public java.util.List<org.conpaas.core.internal.monitoring.NodeLoad> all() {
                        return loads.all();
                    }

                    @Override
                    public Duration period() {
                        return loads.period();
                    }
                });
        base = URI.create("http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort());
        secureBase = URI.create("https://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[1]).getLocalPort());
    }

    /** The published endpoints. */
    RestServers servers() {
        return servers;
    }

    /** The password of a harness user. */
    static String password(String user) {
        return user + "-secret";
    }

    private ServerConnector httpsConnector() {
        HttpsKeyStores.Stores stores = HttpsKeyStores.prepare(pki, pkiDirectory, "");
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(stores.keyStore().toString());
        tls.setKeyStoreType("PKCS12");
        tls.setKeyStorePassword(stores.password());
        tls.setCertAlias(HttpsKeyStores.KEY_ALIAS);
        tls.setTrustStorePath(stores.trustStore().toString());
        tls.setTrustStoreType("PKCS12");
        tls.setTrustStorePassword(stores.password());
        tls.setWantClientAuth(true);
        HttpConfiguration https = new HttpConfiguration();
        https.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector = new ServerConnector(jetty, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost("127.0.0.1");
        return connector;
    }

    record Reply(int status, String contentType, String body, HttpResponse<String> raw) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(body);
        }
    }

    /** Sends a request as the harness user (HTTP Basic). */
    Reply send(String method, String path, String contentType, String body) throws Exception {
        return send(http, base, basic(user, password(user)), method, path, contentType, body);
    }

    /** Sends a request without any credentials. */
    Reply anonymous(String method, String path) throws Exception {
        return send(http, base, null, method, path, null, null);
    }

    /** Sends a request with this Authorization header (null for none). */
    Reply withAuthorization(String authorization, String method, String path) throws Exception {
        return send(http, base, authorization, method, path, null, null);
    }

    /** Sends a request over HTTPS presenting the certificate and key of a zip from /users/me/certificate. */
    Reply withCertificate(byte[] zip, String method, String path) throws Exception {
        return send(clientWith(zip), secureBase, null, method, path, null, null);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A client that trusts our CA only and presents the zip's certificate. */
    static HttpClient clientWith(byte[] zip) throws Exception {
        CertificateZip parts = CertificateZip.read(zip);
        return clientWith(parts.key(), parts.certificate(), parts.ca());
    }

    /** A client that trusts this CA only and presents this certificate (none when it is null). */
    static HttpClient clientWith(PrivateKey key, X509Certificate certificate, X509Certificate ca) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", ca);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (certificate != null) {
            keys.setKeyEntry("me", key, new char[0], new Certificate[] {certificate});
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    static Reply send(HttpClient client, URI root, String authorization, String method, String path)
            throws Exception {
        return send(client, root, authorization, method, path, null, null);
    }

    private static Reply send(HttpClient client, URI root, String authorization, String method, String path,
            String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(root.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body(), response);
    }

    Reply get(String path) throws Exception {
        return send("GET", path, null, null);
    }

    Reply post(String path, String jsonBody) throws Exception {
        return send("POST", path, "application/json", jsonBody);
    }

    JsonNode parse(String body) throws IOException {
        return json.readTree(body);
    }

    @Override
    public void close() throws Exception {
        try {
            servers.close();
            fallback.destroy();
        } finally {
            try {
                jetty.stop();
            } catch (java.util.concurrent.TimeoutException slowResponse) {
                // the graceful part of the stop ran out (a response still being written on a busy CI machine): Jetty
                // has stopped its connectors and handlers all the same, and no test asserts on the teardown
                System.err.println("Jetty's graceful stop ran out of time; stopped anyway: " + slowResponse);
            } finally {
                bus.shutdown(true);
                try (Stream<Path> files = Files.walk(pkiDirectory)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
