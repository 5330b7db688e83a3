package org.conpaas.cloud.openstack;

import java.util.List;
import org.conpaas.api.CloudException;
import org.openstack4j.api.OSClient;
import org.openstack4j.api.Builders;
import org.openstack4j.model.compute.Server;
import org.openstack4j.model.network.NetFloatingIP;
import org.openstack4j.model.network.Port;
import org.openstack4j.model.network.options.PortListOptions;

/**
 * Floating addresses the driver allocates from a pool (Neutron) and attaches to a server's port. Each carries the
 * description {@code conpaas <owner> <server id>}, so terminate releases exactly the driver's own, also when the
 * server is already gone (an address the cloud assigned itself is the cloud's to release).
 */
final class FloatingAddresses {

    private final OpenStackSession session;
    private final OpenStackSettings settings;
    private final Waits waits;

    FloatingAddresses(OpenStackSession session, OpenStackSettings settings, Waits waits) {
        this.session = session;
        this.settings = settings;
        this.waits = waits;
    }

    /** Waits until the server is ACTIVE (it has a port then), then attaches a new address from the pool to it. */
    String attach(String serverId, String poolNetworkId) throws CloudException {
        Server active = waits.until("server " + serverId + " to become ACTIVE", () -> {
            Server s = session.call("describe server " + serverId, os -> os.compute().servers().get(serverId));
            if (s == null) {
                throw new CloudException("cloud " + settings.name() + " (OpenStack) deleted server " + serverId
                        + " before it became ACTIVE.");
            }
            if (s.getStatus() == Server.Status.ERROR) {
                throw new CloudException("cloud " + settings.name() + " (OpenStack) could not start server "
                        + serverId + (s.getFault() != null ? ": " + s.getFault().getMessage() : "."));
            }
            return s.getStatus() == Server.Status.ACTIVE ? s : null;
        });
        String portId = session.call("find the port of server " + serverId, os -> {
            List<? extends Port> ports = os.networking().port().list(PortListOptions.create().deviceId(active.getId()));
            return ports.isEmpty() ? null : ports.get(0).getId();
        });
        if (portId == null) {
            throw new CloudException("cloud " + settings.name() + " (OpenStack) gave server " + serverId
                    + " no network port to attach a floating IP to.");
        }
        NetFloatingIP ip = session.call("allocate a floating IP from " + settings.floatingIpPool(),
                os -> os.networking().floatingip().create(Builders.netFloatingIP().floatingNetworkId(poolNetworkId)
                        .portId(portId).description(description(serverId)).build()));
        return ip.getFloatingIpAddress();
    }

    /** Releases the addresses this driver allocated for these servers; gone ones are ignored. */
    void release(List<String> serverIds) throws CloudException {
        if (serverIds.isEmpty()) {
            return;
        }
        List<? extends NetFloatingIP> all = session.call("list floating IPs",
                os -> os.networking().floatingip().list());
        for (NetFloatingIP ip : all) {
            for (String serverId : serverIds) {
                if (description(serverId).equals(ip.getDescription())) {
                    session.call("release floating IP " + ip.getFloatingIpAddress(), (OSClient<?> os) -> {
                        var response = os.networking().floatingip().delete(ip.getId());
                        if (!response.isSuccess() && response.getCode() != 404) {
                            throw new org.openstack4j.api.exceptions.ResponseException(response.getFault(),
                                    response.getCode());
                        }
                        return null;
                    });
                }
            }
        }
    }

    private String description(String serverId) {
        return "conpaas " + settings.owner() + " " + serverId;
    }

}
