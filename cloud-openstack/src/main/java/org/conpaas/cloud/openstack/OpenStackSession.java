package org.conpaas.cloud.openstack;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.conpaas.api.CloudException;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.types.Facing;
import org.openstack4j.core.transport.Config;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.identity.v3.Token;
import org.openstack4j.openstack.OSFactory;

/**
 * The driver's authenticated access to one cloud: a Keystone v3 token (password, scoped to the project), fetched
 * when first needed and again shortly before it expires or when the cloud refuses it. openstack4j binds a client to
 * the calling thread, so every call gets a client of its own made from the shared token (no HTTP round trip).
 */
final class OpenStackSession {

    /** A token this close to its expiry is replaced before use. */
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

    private final OpenStackSettings settings;
    private final Config config;
    private Token token;

    OpenStackSession(OpenStackSettings settings) {
        this.settings = settings;
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, settings.requestTimeout().toMillis());
        this.config = Config.newConfig().withConnectionTimeout(timeoutMs).withReadTimeout(timeoutMs);
    }

    /**
     * Runs {@code call} with a client of the cloud's project (in its region), authenticating first when needed; an
     * openstack4j error becomes one sentence naming the cloud, {@code action} saying what was being done.
     */
    <T> T call(String action, Function<OSClientV3, T> call) throws CloudException {
        OSClientV3 client = client();
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

    private OSClientV3 client() throws CloudException {
        Token current = validToken();
        OSClientV3 client = OSFactory.clientFromToken(current, Facing.PUBLIC, config);
        if (!settings.region().isEmpty()) {
            client.useRegion(settings.region());
        }
        return client;
    }

    private synchronized Token validToken() throws CloudException {
        if (token == null || token.getExpires() == null
                || token.getExpires().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
            try {
                token = OSFactory.builderV3()
                        .endpoint(settings.authUrl().toString())
                        .credentials(settings.username(), settings.password(),
                                Identifier.byName(settings.userDomain()))
                        .scopeToProject(Identifier.byName(settings.project()),
                                Identifier.byName(settings.projectDomain()))
                        .withConfig(config)
                        .authenticate()
                        .getToken();
            } catch (RuntimeException e) {
                throw CloudErrors.translate(settings.name(), "authenticate", e);
            }
        }
        return token;
    }

    private synchronized void forgetToken() {
        token = null;
    }
}
