package org.conpaas.cloud.local;

import java.nio.file.Path;
import org.conpaas.service.support.host.Placeholders;

/** The configuration of one local cloud with placeholders and defaults resolved. */
record LocalCloudSettings(String name, AddressRange addresses, int port, Path dataDir, Path javaHome,
        String javaOptions, NodeAccounts.UidRange nodeUids) {


    LocalCloudSettings {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the local cloud needs a name");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
    }

    static LocalCloudSettings from(LocalCloudConfig config) {
        String javaHome = config.javaHome() == null || config.javaHome().isBlank()
                ? System.getProperty("java.home") : resolve(config.javaHome());
        return new LocalCloudSettings(config.name().trim(), AddressRange.parse(config.addressRange()), config.port(),
                Path.of(resolve(config.dataDir())).toAbsolutePath().normalize(), Path.of(javaHome),
                config.javaOptions() == null ? "" : config.javaOptions().trim(),
                NodeAccounts.UidRange.parse(config.nodeUids()));
    }

    static String resolve(String value) {
        return Placeholders.resolve(value);
    }
}
