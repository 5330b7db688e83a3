package org.conpaas.cloud.lxc;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The other LXC clouds' id ranges come from their configurations, with the configuration type's defaults. */
public class OtherCloudsTest {

    @Test
    public void theOtherCloudsRangesAreReadWithDefaultsAndTheCloudItselfAndBrokenOnesLeftOut() {
        ConfigurationAdmin admin = admin(
                Map.of("name", "shop"),
                Map.of("name", "lab", "idmapBase", "2147483648", "addressRange", "198.19.0.10-198.19.0.11"),
                Map.of("name", "self", "idmapBase", "65536"),
                Map.of("name", "broken", "addressRange", "not a range"));
        // the defaults: idmapBase 1879048192, addressRange 198.18.0.10-198.18.0.250 (241 nodes of 65536 ids)
        assertEquals(List.of(new OtherClouds.MappedIds("shop", 1879048192L, 1879048192L + 241 * 65536L - 1),
                new OtherClouds.MappedIds("lab", 2147483648L, 2147483648L + 2 * 65536L - 1)),
                OtherClouds.of(admin, "self"));
    }

    @SafeVarargs
    private static ConfigurationAdmin admin(Map<String, String>... clouds) {
        Configuration[] configurations = new Configuration[clouds.length];
        for (int i = 0; i < clouds.length; i++) {
            Dictionary<String, Object> properties = new Hashtable<>(clouds[i]);
            configurations[i] = (Configuration) Proxy.newProxyInstance(OtherCloudsTest.class.getClassLoader(),
                    new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "getProperties" -> properties;
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> null;
                    });
        }
        return (ConfigurationAdmin) Proxy.newProxyInstance(OtherCloudsTest.class.getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "listConfigurations" -> String.valueOf(args[0]).contains(LxcCloudDriver.PID)
                            ? configurations : null;
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> null;
                });
    }
}
