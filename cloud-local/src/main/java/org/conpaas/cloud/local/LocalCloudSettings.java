package org.conpaas.cloud.local;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The configuration of one local cloud with placeholders and defaults resolved. */
record LocalCloudSettings(String name, AddressRange addresses, int port, Path dataDir, Path javaHome,
        String javaOptions, NodeAccounts.UidRange nodeUids) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

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

    /** Replaces ${name} by the system property; the default dataDir relies on karaf.data. */
    static String resolve(String value) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String property = System.getProperty(m.group(1));
            if (property == null) {
                throw new IllegalArgumentException("cannot resolve " + m.group() + " in '" + value
                        + "': system property " + m.group(1) + " is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(property));
        }
        m.appendTail(out);
        return out.toString();
    }
}
