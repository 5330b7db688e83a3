package org.conpaas.service.java.agent;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The last start_backend settings of a node, kept in Tomcat's instance folder: a code switch (or a new plug-in
 * instance after an update) redeploys the application with them.
 */
final class TomcatSettingsFile {

    static final String FILE = "backend.properties";

    private TomcatSettingsFile() {
    }

    static void write(Path base, Tomcat.Settings settings) throws IOException {
        Files.createDirectories(base);
        Properties properties = new Properties();
        properties.setProperty("port", String.valueOf(settings.port()));
        properties.setProperty("heapMb", String.valueOf(settings.heapMb()));
        properties.setProperty("proxies", String.join(",", settings.proxies()));
        try (Writer out = Files.newBufferedWriter(base.resolve(FILE))) {
            properties.store(out, "written by the ConPaaS agent");
        }
    }

    static Tomcat.Settings read(Path base) throws IOException {
        Path file = base.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("Tomcat runs without the settings of start_backend (" + file + ")");
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        String proxies = properties.getProperty("proxies", "");
        List<String> list = proxies.isEmpty() ? List.of() : Arrays.asList(proxies.split(","));
        return new Tomcat.Settings(Integer.parseInt(properties.getProperty("port")),
                Integer.parseInt(properties.getProperty("heapMb")), list);
    }
}
