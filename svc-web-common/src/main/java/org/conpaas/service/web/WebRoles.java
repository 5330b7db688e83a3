package org.conpaas.service.web;

import java.util.List;

/** The roles of a web hosting service's nodes. */
public final class WebRoles {

    /** nginx entry point and load balancer. */
    public static final String PROXY = "proxy";
    /** nginx serving the code's static files. */
    public static final String WEB = "web";
    /** the application server: php-fpm or Tomcat. */
    public static final String BACKEND = "backend";
    public static final List<String> ALL = List.of(PROXY, WEB, BACKEND);

    private WebRoles() {
    }
}
