package org.conpaas.agent.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.osgi.framework.Constants;

/** The content of {@code agent.properties}, with the work directory resolved (default: the file's folder). */
public record AgentSettings(Map<String, String> values, Path workDir) {

    public static final String WORK_DIR = "conpaas.agent.workDir";
    public static final String PROPERTY_NAMES = "conpaas.agent.propertyNames";

    /** Packages of the JDK the agent core needs beyond what Felix exports by default. */
    static final String EXTRA_SYSTEM_PACKAGES = "com.sun.net.httpserver,com.sun.net.httpserver.spi";

    public static AgentSettings load(Path propertiesFile) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        Map<String, String> values = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name).trim()));
        String configured = values.get(WORK_DIR);
        Path workDir = (configured == null || configured.isEmpty())
                ? propertiesFile.toAbsolutePath().getParent()
                : Path.of(configured).toAbsolutePath();
        values.put(WORK_DIR, workDir.toString());
        return new AgentSettings(Map.copyOf(values), workDir);
    }

    public String nodeId() {
        return values.getOrDefault("conpaas.node.id", "?");
    }

    /** The framework configuration: the agent's settings plus Felix's own storage and package settings. */
    Map<String, Object> frameworkProperties(Object felixLogger) {
        Map<String, Object> config = new HashMap<>(values);
        config.put(Constants.FRAMEWORK_STORAGE, workDir.resolve("felix-cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, EXTRA_SYSTEM_PACKAGES);
        // a bundle cannot enumerate framework properties, so tell the agent core which extra settings exist
        config.put(PROPERTY_NAMES, values.keySet().stream().filter(k -> k.startsWith("conpaas.prop."))
                .sorted().collect(java.util.stream.Collectors.joining(",")));
        config.put("felix.log.logger", felixLogger);
        config.put("felix.log.level", "2");
        return config;
    }
}
