package org.conpaas.service.java.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.conpaas.service.web.agent.ServerAccount;

/** Tomcat's configuration files and command line for a node's instance. */
final class TomcatConfigs {

    static final String ACCESS_LOG = "tomcat-access.log";

    /** Everything on standard output (the node log tomcat.out), one line per message, in English (the agent reads it). */
    static final String LOGGING = """
            # written by the ConPaaS agent
            handlers = java.util.logging.ConsoleHandler
            .handlers = java.util.logging.ConsoleHandler
            .level = INFO
            java.util.logging.ConsoleHandler.level = INFO
            java.util.logging.ConsoleHandler.formatter = org.apache.juli.OneLineFormatter
            java.util.logging.ConsoleHandler.encoding = UTF-8
            """;

    private TomcatConfigs() {
    }

    /**
     * One HTTP connector on the node's address that opens only once the application is deployed
     * ({@code bindOnInit=false}), no shutdown port (the agent stops Tomcat with a signal), descriptors checked every
     * second (the agent adds a new context version and removes the old one; see {@link Tomcat}).
     */
    static String server(String address, int port, Path logDir) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- written by the ConPaaS agent -->
                <Server port="-1" shutdown="SHUTDOWN">
                  <Listener className="org.apache.catalina.core.JreMemoryLeakPreventionListener"/>
                  <Listener className="org.apache.catalina.core.ThreadLocalLeakPreventionListener"/>
                  <Service name="Catalina" gracefulStopAwaitMillis="10000">
                    <Connector address="%s" port="%d" protocol="HTTP/1.1" bindOnInit="false"
                               connectionTimeout="20000" maxThreads="200"/>
                    <Engine name="Catalina" defaultHost="localhost" backgroundProcessorDelay="1">
                      <Host name="localhost" appBase="webapps" autoDeploy="true" deployOnStartup="true"
                            unpackWARs="false">
                        <Valve className="org.apache.catalina.valves.AccessLogValve" directory="%s"
                               prefix="tomcat-access" suffix=".log" rotatable="false"
                               pattern="%%h %%t &quot;%%r&quot; %%s %%b %%D"/>
                      </Host>
                    </Engine>
                  </Service>
                </Server>
                """.formatted(xml(address), port, xml(logDir.toString()));
    }

    /**
     * The root context: the code version's folder, reachable only from the proxies, and, for an application
     * compiled against javax.servlet, Tomcat's class loader converting its classes to jakarta.servlet as it loads
     * them (Apache's migration tool in Tomcat's lib/).
     */
    static String context(Path webapp, List<String> proxies, boolean javax) {
        StringBuilder context = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<!-- written by the ConPaaS agent -->\n")
                .append("<Context docBase=\"").append(xml(webapp.toString())).append("\" reloadable=\"false\">\n");
        if (!proxies.isEmpty()) {
            String allow = proxies.stream().map(ip -> ip.replace(".", "\\.")).collect(Collectors.joining("|"));
            context.append("  <Valve className=\"org.apache.catalina.valves.RemoteAddrValve\" allow=\"")
                    .append(xml(allow)).append("\"/>\n");
        }
        if (javax) {
            context.append("  <Loader jakartaConverter=\"TOMCAT\"/>\n");
        }
        return context.append("</Context>\n").toString();
    }

    /**
     * Tomcat's JVM in the foreground (so the process the agent knows is Tomcat itself), with the agent's own Java
     * runtime; as root it switches to the workers' user first ({@code setpriv} executes Java in its place).
     */
    static List<String> command(Path home, Path base, int heapMb, ServerAccount account) {
        List<String> command = new ArrayList<>();
        account.workerUser().ifPresent(user -> command.addAll(List.of("setpriv", "--reuid", user, "--regid", user,
                "--init-groups")));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xms64m", "-Xmx" + heapMb + "m", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                // what catalina.sh opens, so Tomcat's memory leak protection works on Java 17
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED",
                "-Djava.util.logging.config.file=" + base.resolve("conf").resolve("logging.properties"),
                "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
                "-Dcatalina.home=" + home, "-Dcatalina.base=" + base,
                "-Djava.io.tmpdir=" + base.resolve("temp"),
                "-Duser.language=en", "-Duser.country=US",
                "-classpath", home.resolve("bin").resolve("bootstrap.jar") + ":"
                        + home.resolve("bin").resolve("tomcat-juli.jar"),
                "org.apache.catalina.startup.Bootstrap", "start"));
        return command;
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
