package org.conpaas.cloud.lxc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host ids the other LXC clouds of this director map their containers to, read from their configurations. Two
 * clouds whose ranges overlap would give containers of different tenants the same host uids, and so each other's
 * files: such a cloud stays unavailable and says why.
 */
final class OtherClouds {

    private static final Logger LOG = LoggerFactory.getLogger(OtherClouds.class);

    /** One cloud's mapped host ids, first to last. */
    record MappedIds(String cloud, long first, long last) {
        boolean overlaps(long from, long to) {
            return first <= to && from <= last;
        }
    }

    private OtherClouds() {
    }

    /** The ranges of every LXC cloud configured besides {@code self}; one whose configuration is invalid is left out. */
    static List<MappedIds> of(ConfigurationAdmin configs, String self) {
        List<MappedIds> others = new ArrayList<>();
        Configuration[] all;
        try {
            all = configs.listConfigurations("(service.factoryPid=" + LxcCloudDriver.PID + ")");
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("the other LXC clouds' configurations cannot be read: {}", e.getMessage());
            return others;
        }
        for (Configuration config : all == null ? new Configuration[0] : all) {
            Dictionary<String, Object> properties = config.getProperties();
            if (properties == null) {
                continue;
            }
            String name = text(properties, "name");
            if (name.equals(self)) {
                continue;
            }
            try {
                long base = Long.parseLong(text(properties, "idmapBase"));
                Ipv4.Range addresses = Ipv4.Range.parse(text(properties, "addressRange"));
                long nodes = addresses.last() - addresses.first() + 1;
                others.add(new MappedIds(name, base, base + nodes * IdRange.SIZE - 1));
            } catch (RuntimeException e) {
                // that cloud refuses its own configuration and says why
            }
        }
        return others;
    }

    /** A property as text, or the configuration type's default when it is not set. */
    private static String text(Dictionary<String, Object> properties, String key) {
        Object value = properties.get(key);
        if (value != null) {
            return String.valueOf(value).trim();
        }
        try {
            return String.valueOf(LxcCloudConfig.class.getMethod(key).getDefaultValue());
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("LxcCloudConfig has no " + key, e);
        }
    }
}
