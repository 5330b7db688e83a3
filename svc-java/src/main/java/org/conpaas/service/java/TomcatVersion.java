package org.conpaas.service.java;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of the Tomcat this bundle carries ({@code /tomcat/tomcat.tar.gz}), written in at build time. */
public final class TomcatVersion {

    public static final String VERSION = read();

    private TomcatVersion() {
    }

    private static String read() {
        try (InputStream in = TomcatVersion.class.getResourceAsStream("/tomcat-dist/tomcat.properties")) {
            if (in == null) {
                throw new IllegalStateException("the bundle lacks /tomcat/tomcat.properties");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
