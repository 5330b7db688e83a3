package org.conpaas.core.rest;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.cxf.BusFactory;
import org.conpaas.api.director.Director;
import org.conpaas.api.model.UserInfo;
import org.conpaas.core.internal.accounts.Accounts;
import org.conpaas.core.internal.bootstrap.AgentDownloads;
import org.conpaas.core.internal.code.CodeConfig;
import org.conpaas.core.internal.monitoring.NodeLoads;
import org.conpaas.core.internal.web.WebSessions;
import org.conpaas.core.internal.security.UserCertificates;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the REST API on CXF's default bus, whose HTTP transport is the CXF servlet at {@code /api}
 * ({@link ApiServlet}). Present exactly while the director, the accounts and
 * the user certificates are. Passwords are checked by {@link Accounts#checkPassword}, the check behind the JAAS realm
 * {@code conpaas} of the shell too (same hashes, throttle and cache), called directly: a JAAS login per request
 * (login context, Karaf's proxy module, a fresh read of the user) allocated ~60 KB and took two database reads.
 */
@Component(immediate = true, configurationPid = "org.conpaas.director")
public class RestPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(RestPublisher.class);

    private final RestServers servers;
    private final ApiFallback fallback;
    /** Ends a user's console sessions when their password changes or they are deleted. */
    private final AutoCloseable sessionsEnding;
    /** The upload limit, changed live by {@link #modified}; the resources read it at each upload. */
    private final AtomicLong maxUploadBytes = new AtomicLong();

    @Activate
    public RestPublisher(@Reference(name = "director") Director director,
            @Reference(name = "accounts") Accounts accounts,
            @Reference(name = "certificates") UserCertificates certificates,
            @Reference(name = "downloads") AgentDownloads downloads, @Reference(name = "fallback") ApiFallback fallback,
            @Reference(name = "sessions") WebSessions sessions, @Reference(name = "loads") NodeLoads loads,
            CodeConfig config) {
        this.fallback = fallback;
        this.sessionsEnding = accounts.onCredentialsChanged(sessions::closeAll);
        RestAuthentication authentication = new RestAuthentication(
                (user, password) -> accounts.checkPassword(user, new String(password)), certificates,
                user -> accounts.find(user).map(UserInfo::roles).orElse(Set.of()), sessions);
        // Uploads are bounded while they stream by the code store's own limit (maxArchiveMb).
        maxUploadBytes.set(uploadLimit(config));
        this.servers = RestServers.publish(BusFactory.getDefaultBus(true), director, authentication,
                maxUploadBytes::get, downloads, loads);
        fallback.apiPublished(true);
        LOG.info("REST API published at {} and {}", RestServers.API_ADDRESS, RestServers.OPENAPI_ADDRESS);
    }

    /**
     * A changed configuration (of any component sharing the PID) keeps the API published: only the upload limit is
     * read from it, and it applies to the next upload. Without this, every edit of the director's configuration
     * would withdraw the API for a moment and cut the requests in flight, waiting ones included.
     */
    @Modified
    void modified(CodeConfig config) {
        maxUploadBytes.set(uploadLimit(config));
    }

    private static long uploadLimit(CodeConfig config) {
        return config.maxArchiveMb() * 1024 * 1024;
    }

    @Deactivate
    void deactivate() throws Exception {
        fallback.apiPublished(false);
        servers.close();
        sessionsEnding.close();
    }
}
