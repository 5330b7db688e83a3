package org.conpaas.cloud.openstack;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.Function;
import org.conpaas.api.CloudException;
import org.openstack4j.api.OSClient;
import org.openstack4j.api.types.Facing;
import org.openstack4j.core.transport.Config;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.identity.v2.Access;
import org.openstack4j.model.identity.v3.Token;
import org.openstack4j.openstack.OSFactory;

/**
 * The driver's authenticated access to one cloud: a Keystone token (v3: password, scoped to the project in its
 * domain; v2.0: password and tenant name, for clouds that speak no v3 such as Synnefo), fetched when first needed and
 * again shortly before it expires or when the cloud refuses it. openstack4j binds a client to the calling thread, so
 * every call gets a client of its own made from the shared token (no HTTP round trip).
 */
final class OpenStackSession {

    /** A token this close to its expiry is replaced before use. */
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

    private final OpenStackSettings settings;
    private final Config config;
    /** Keystone v3's token, or v2.0's access (token and catalog), whichever the cloud speaks; null: none yet. */
    private Token token;
    private Access access;

    OpenStackSession(OpenStackSettings settings) {
        this.settings = settings;
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, settings.requestTimeout().toMillis());
        this.config = Config.newConfig().withConnectionTimeout(timeoutMs).withReadTimeout(timeoutMs);
    }

    /**
     * Runs {@code call} with a client of the cloud's project (in its region), authenticating first when needed; an
     * openstack4j error becomes one sentence naming the cloud, {@code action} saying what was being done.
     */
    <T> T call(String action, Function<OSClient<?>, T> call) throws CloudException {
        OSClient<?> client = client();
        try {
            return call.apply(client);
        } catch (RuntimeException e) {
            if (CloudErrors.isAuthFailure(e)) {
                forgetToken(); // revoked or expired early: the next call authenticates again
            }
            throw CloudErrors.translate(settings.name(), action, e);
        }
    }

    /** Authenticates now (a configuration check): throws the cloud's refusal as one sentence. */
    void authenticate() throws CloudException {
        forgetToken();
        client();
    }

    private OSClient<?> client() throws CloudException {
        OSClient<?> client;
        synchronized (this) {
            renewIfNeeded();
            client = token != null ? OSFactory.clientFromToken(token, Facing.PUBLIC, config)
                    : OSFactory.clientFromAccess(access, Facing.PUBLIC, config);
        }
        if (!settings.region().isEmpty()) {
            client.useRegion(settings.region());
        }
        return client;
    }

    private void renewIfNeeded() throws CloudException {
        Date expires = token != null ? token.getExpires() : access != null ? access.getToken().getExpires() : null;
        if (expires != null && expires.toInstant().isAfter(Instant.now().plus(RENEW_BEFORE))) {
            return;
        }
        try {
            if (settings.identityVersion() == 2) {
                access = OSFactory.builderV2()
                        .endpoint(settings.authUrl().toString())
                        .credentials(settings.username(), settings.password())
                        .tenantName(settings.project())
                        .withConfig(config)
                        .authenticate()
                        .getAccess();
            } else {
                token = OSFactory.builderV3()
                        .endpoint(settings.authUrl().toString())
                        .credentials(settings.username(), settings.password(),
                                Identifier.byName(settings.userDomain()))
                        .scopeToProject(Identifier.byName(settings.project()),
                                Identifier.byName(settings.projectDomain()))
                        .withConfig(config)
                        .authenticate()
                        .getToken();
            }
        } catch (RuntimeException e) {
            throw CloudErrors.translate(settings.name(), "authenticate", e);
        }
    }

    private synchronized void forgetToken() {
        token = null;
        access = null;
    }
}
