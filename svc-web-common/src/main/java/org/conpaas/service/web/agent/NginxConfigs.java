package org.conpaas.service.web.agent;

import java.nio.file.Path;
import java.util.List;

/** The nginx configurations of the web roles: the proxy (entry point and load balancer) and the static web server. */
public final class NginxConfigs {

    /**
     * Status a web node answers when the backend must answer instead: a folder without index.html or index.htm (the
     * backend has its index script, e.g. index.php or index.jsp), or, for Java, a path without a file (a servlet). 449
     * is otherwise unused, so it cannot be mistaken for an application's answer.
     */
    public static final int ASK_BACKEND = 449;
    /** The headers every request forwarded over HTTP carries (to web nodes, and to Tomcat backends). */
    public static final String PROXY_HEADERS = """
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_set_header Host $http_host;
                  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                  proxy_set_header X-Forwarded-Proto $scheme;
            """;
    /** Upstream names the backend routes refer to. */
    public static final String WEB_UPSTREAM = "web_nodes";
    public static final String BACKEND_UPSTREAM = "backend_nodes";

    private NginxConfigs() {
    }

    /**
     * The proxy: {@code backendRoutes} (the backend kind's locations, e.g. {@code *.php} to php-fpm) come first; every
     * other request goes to the web nodes, and a folder without a static index goes to {@code @backend_index}, which
     * the backend routes must define.
     */
    public static String proxy(NginxServer server, ServerAccount account, String address, int port,
            List<Upstream> webs, List<Upstream> backends, String clientMaxBodySize, String backendHttpContext,
            String backendRoutes) {
        if (webs.isEmpty() || backends.isEmpty()) {
            throw new IllegalArgumentException("the proxy needs at least one web node and one backend");
        }
        StringBuilder conf = new StringBuilder(server.mainContext(account));
        conf.append("http {\n").append(server.httpCommon()).append(server.requestCounting())
                .append(backendHttpContext);
        // Connections to web nodes and backends leave from the node's own address (on a shared loopback the kernel
        // would pick 127.0.0.1), so backends can admit exactly the proxies.
        conf.append("  proxy_bind ").append(address).append(";\n");
        conf.append("  fastcgi_bind ").append(address).append(";\n");
        conf.append("  upstream ").append(WEB_UPSTREAM).append(" {\n");
        webs.forEach(w -> conf.append("    server ").append(w.server()).append(";\n"));
        conf.append("    keepalive 16;\n  }\n");
        conf.append("  upstream ").append(BACKEND_UPSTREAM).append(" {\n");
        backends.forEach(b -> conf.append("    server ").append(b.server()).append(";\n"));
        conf.append("  }\n");
        conf.append("  server {\n")
                .append("    listen ").append(address).append(':').append(port).append(";\n")
                .append("    client_max_body_size ").append(clientMaxBodySize).append(";\n")
                .append(backendRoutes)
                .append("    location / {\n")
                .append("      proxy_pass http://").append(WEB_UPSTREAM).append(";\n")
                .append(PROXY_HEADERS)
                // a web node that goes away mid-reconfiguration: the request is retried on another one
                .append("      proxy_next_upstream error timeout http_502 http_503;\n")
                .append("      proxy_intercept_errors on;\n")
                .append("      error_page ").append(ASK_BACKEND).append(" = @backend_index;\n")
                .append("    }\n")
                .append("  }\n}\n");
        return conf.toString();
    }

    /**
     * The static web server: the active code's files, never its scripts (a {@code .php} file is answered 404, not
     * shown), nor hidden files (.git, .htaccess) or private folders (WEB-INF); {@link #ASK_BACKEND} for a folder
     * without a static index and, when the backend serves paths without files (servlets), for a missing file.
     */
    public static String web(NginxServer server, ServerAccount account, String address, int port, Path docRoot,
            StaticContent content) {
        StringBuilder conf = new StringBuilder(server.mainContext(account));
        conf.append("http {\n").append(server.httpCommon());
        conf.append("  server {\n")
                .append("    listen ").append(address).append(':').append(port).append(";\n")
                .append("    root ").append(docRoot).append(";\n")
                .append("    absolute_redirect off;\n")
                .append("    location ~ /\\. { return 404; }\n");
        for (String folder : content.privateFolders()) {
            conf.append("    location ^~ /").append(folder).append("/ { return 404; }\n");
        }
        if (!content.scriptExtensions().isEmpty()) {
            conf.append("    location ~ \\.(").append(String.join("|", content.scriptExtensions()))
                    .append(")(/|$) { return 404; }\n");
        }
        conf.append("    location ~ /$ { try_files ${uri}index.html ${uri}index.htm =").append(ASK_BACKEND)
                .append("; }\n");
        if (content.missingFilesToBackend()) {
            conf.append("    location / { try_files $uri =").append(ASK_BACKEND).append("; }\n");
        }
        conf.append("  }\n}\n");
        return conf.toString();
    }
}
