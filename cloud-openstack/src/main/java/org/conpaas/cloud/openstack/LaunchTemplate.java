package org.conpaas.cloud.openstack;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.conpaas.api.CloudException;
import org.openstack4j.api.OSClient;
import org.openstack4j.model.compute.Flavor;
import org.openstack4j.model.image.v2.Image;
import org.openstack4j.model.network.Network;

/**
 * The ids a server is booted with, resolved from the configured ids or names: the image (Glance v2, by name), the
 * flavor (Nova's list, by id or name), the network and the floating-address pool (Neutron, by name). A UUID is an id
 * and is not looked up (so a cloud without Glance v2 or Neutron, such as Synnefo, works with ids); a value no name
 * matches is taken as an id too: Nova then refuses an unknown one when the server is created, and that refusal is
 * the node's reason.
 */
record LaunchTemplate(String imageId, String flavorId, List<String> networkIds, String floatingNetworkId) {

    static LaunchTemplate resolve(OpenStackSession session, OpenStackSettings settings) throws CloudException {
        String image = session.call("look up image " + settings.image(), os -> imageId(os, settings.image()));
        String flavor = session.call("look up flavor " + settings.flavor(), os -> flavorId(os, settings.flavor()));
        List<String> networks = List.of();
        if (!settings.network().isEmpty()) {
            String network = session.call("look up network " + settings.network(),
                    os -> networkId(os, settings.network()));
            networks = List.of(network);
        }
        String pool = settings.floatingIp() != OpenStackSettings.FloatingIpMode.POOL ? null
                : session.call("look up floating IP pool " + settings.floatingIpPool(),
                        os -> networkId(os, settings.floatingIpPool()));
        return new LaunchTemplate(image, flavor, networks, pool);
    }

    private static final java.util.regex.Pattern UUID = java.util.regex.Pattern.compile(
            "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");

    static boolean isId(String value) {
        return UUID.matcher(value).matches();
    }

    private static String imageId(OSClient<?> os, String wanted) {
        if (isId(wanted)) {
            return wanted;
        }
        List<? extends Image> named = os.imagesV2().list(Map.of("name", wanted));
        return named.stream().filter(i -> wanted.equals(i.getName())).map(Image::getId).findFirst().orElse(wanted);
    }

    private static String flavorId(OSClient<?> os, String wanted) {
        List<? extends Flavor> flavors = os.compute().flavors().list();
        Optional<String> byId = flavors.stream().map(Flavor::getId).filter(wanted::equals).findFirst();
        return byId.orElseGet(() -> flavors.stream().filter(f -> wanted.equals(f.getName())).map(Flavor::getId)
                .findFirst().orElse(wanted));
    }

    private static String networkId(OSClient<?> os, String wanted) {
        if (isId(wanted)) {
            return wanted;
        }
        List<? extends Network> named = os.networking().network().list(Map.of("name", wanted));
        return named.stream().filter(n -> wanted.equals(n.getName())).map(Network::getId).findFirst().orElse(wanted);
    }
}
