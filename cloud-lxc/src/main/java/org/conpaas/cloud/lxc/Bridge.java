package org.conpaas.cloud.lxc;

import java.io.IOException;
import org.conpaas.api.CloudException;
import org.conpaas.service.support.host.HostCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud's private bridge: created with the host's address when missing, given the address when it lacks it,
 * otherwise left as it is. Nothing routes it anywhere: no NAT, ip_forward untouched, and containers get no default
 * route, so they reach this host and each other only.
 */
final class Bridge {

    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
    private static final long TIMEOUT_SECONDS = 20;

    private final String name;
    private final Ipv4.Interface address;

    Bridge(String name, Ipv4.Interface address) {
        this.name = name;
        this.address = address;
    }

    String name() {
        return name;
    }

    /** Makes sure the bridge exists, is up and holds the host's address. */
    synchronized void ensure() throws IOException {
        if (!exists()) {
            ip("link", "add", "name", name, "type", "bridge");
            LOG.info("created bridge {}", name);
        }
        if (!hasAddress()) {
            ip("addr", "add", address.toString(), "dev", name);
        }
        ip("link", "set", name, "up");
    }

    boolean exists() throws IOException {
        return HostCommand.run(TIMEOUT_SECONDS, "ip", "link", "show", "dev", name).ok();
    }

    private boolean hasAddress() throws IOException {
        HostCommand.Result shown = HostCommand.run(TIMEOUT_SECONDS, "ip", "-4", "-o", "addr", "show", "dev", name);
        return shown.ok() && shown.output().contains(" " + address + " ");
    }

    /** Only for tests and for a user who asks: the driver itself never removes the bridge (others may use it). */
    void delete() throws IOException {
        if (exists()) {
            ip("link", "del", name);
        }
    }

    private void ip(String... arguments) throws IOException {
        String[] command = new String[arguments.length + 1];
        command[0] = "ip";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        HostCommand.Result result = HostCommand.run(TIMEOUT_SECONDS, command);
        if (!result.ok()) {
            throw new CloudException("cannot set up bridge " + name + " (" + String.join(" ", command) + "): "
                    + result.error("ip"));
        }
    }
}
