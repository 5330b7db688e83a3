package org.conpaas.itests;

import java.io.IOException;
import java.nio.file.Path;
import org.conpaas.service.testing.SampleWars;
import org.conpaas.service.testing.WarBuilder;

/**
 * JavaIT's WARs, compiled outside the container (kept out of JavaIT so the test class inside the container never
 * refers to the compiler): SampleWars' servlet, JSP and static file, and a WAR Tomcat cannot start.
 */
final class JavaItWar {

    private JavaItWar() {
    }

    static Path shop(Path folder) throws IOException {
        return SampleWars.whoAmI("shop").build(folder.resolve("java-it-shop.war"), servletApi());
    }

    static Path broken(Path folder) throws IOException {
        return SampleWars.brokenListener().build(folder.resolve("java-it-broken.war"), servletApi());
    }

    private static Path servletApi() {
        return WarBuilder.jarOf("jakarta.servlet.http.HttpServlet");
    }
}
