package org.conpaas.cloud.openstack;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The validated configuration of one OpenStack cloud. Its {@link #toString()} leaves the password out, so the
 * settings can be logged or shown.
 */
record OpenStackSettings(String name, URI authUrl, int identityVersion, String username, String password, String userDomain,
        String project, String projectDomain, String region, String image, String flavor, String network,
        String keyPair, List<String> securityGroups, FloatingIpMode floatingIp, String floatingIpPool, int agentPort,
        String owner, Duration requestTimeout, Duration waitTimeout) {

    /** How a node gets its public address. */
    enum FloatingIpMode {
        /** None: the director dials the fixed address. */
        NONE,
        /** The cloud assigns one itself; the director dials it. */
        AUTO,
        /** The driver allocates one from the pool, attaches it, and releases it on terminate. */
        POOL
    }

    private static final int MAX_TEXT = 255;

    OpenStackSettings {
        require("name", name);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException("cloud name '" + name + "' is not 1 to 63 letters, digits, '.', '_' "
                    + "or '-'");
        }
        Objects.requireNonNull(authUrl, "authUrl");
        if (identityVersion != 2 && identityVersion != 3) {
            throw new IllegalArgumentException("identityVersion must be 3 (Keystone v3) or 2 (v2.0); got "
                    + identityVersion);
        }
        if (!"http".equals(authUrl.getScheme()) && !"https".equals(authUrl.getScheme()) || authUrl.getHost() == null) {
            throw new IllegalArgumentException("authUrl must be an http(s) URL with a host; got " + authUrl);
        }
        require("username", username);
        require("password", password);
        require("userDomain", userDomain);
        require("project", project);
        require("projectDomain", projectDomain);
        require("image", image);
        require("flavor", flavor);
        securityGroups = List.copyOf(securityGroups);
        if (floatingIp == FloatingIpMode.POOL && floatingIpPool.isEmpty()) {
            throw new IllegalArgumentException("floatingIp = pool needs floatingIpPool (the external network)");
        }
        if (agentPort < 1 || agentPort > 65535) {
            throw new IllegalArgumentException("agentPort " + agentPort + " is not between 1 and 65535");
        }
        require("owner", owner);
        if (requestTimeout.isNegative() || requestTimeout.isZero() || waitTimeout.isNegative()
                || waitTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeoutSeconds and waitSeconds must be positive");
        }
    }

    static OpenStackSettings from(OpenStackCloudConfig config) {
        String owner = trim(config.owner());
        return new OpenStackSettings(trim(config.name()), parseUrl(trim(config.authUrl())), config.identityVersion(),
                trim(config.username()),
                config.password() == null ? "" : config.password(), trim(config.userDomain()), trim(config.project()),
                trim(config.projectDomain()), trim(config.region()), trim(config.image()), trim(config.flavor()),
                trim(config.network()), trim(config.keyPair()),
                config.securityGroups() == null ? List.of() : Arrays.stream(config.securityGroups())
                        .flatMap(g -> Arrays.stream(g.split(","))).map(String::trim).filter(g -> !g.isEmpty())
                        .toList(),
                parseMode(trim(config.floatingIp())), trim(config.floatingIpPool()), config.agentPort(),
                owner.isEmpty() ? hostName() : owner, Duration.ofSeconds(config.requestTimeoutSeconds()),
                Duration.ofSeconds(config.waitSeconds()));
    }

    private static URI parseUrl(String url) {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("authUrl is not a URL: " + e.getMessage(), e);
        }
    }

    private static FloatingIpMode parseMode(String mode) {
        try {
            return FloatingIpMode.valueOf(mode.isEmpty() ? "NONE" : mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("floatingIp must be none, auto or pool; got '" + mode + "'", e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "conpaas";
        }
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }

    private static void require(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the OpenStack cloud needs " + key);
        }
        if (value.length() > MAX_TEXT) {
            throw new IllegalArgumentException(key + " is longer than " + MAX_TEXT + " characters");
        }
    }

    @Override
    public String toString() {
        return "OpenStack cloud " + name + " (" + authUrl + (identityVersion == 2 ? " (Keystone v2.0), user "
                + username + ", tenant " + project : ", user " + username + "@" + userDomain + ", project " + project
                + "@" + projectDomain) + (region.isEmpty() ? "" : ", region " + region) + ", image " + image
                + ", flavor " + flavor + (network.isEmpty() ? "" : ", network " + network) + ", floating IP "
                + floatingIp.name().toLowerCase(Locale.ROOT) + ", owner " + owner + ")";
    }
}
