package org.conpaas.service.web;

/** The manager↔agent contract of the web hosting types: agent operation and parameter names (docs/web-hosting.md). */
public final class WebOperations {

    /** Agent operations. */
    public static final String START_PROXY = "start_proxy";
    public static final String STOP_PROXY = "stop_proxy";
    public static final String START_WEB = "start_web";
    public static final String STOP_WEB = "stop_web";
    public static final String START_BACKEND = "start_backend";
    public static final String STOP_BACKEND = "stop_backend";
    public static final String STATUS = "status";

    /** Parameters and answers (status names the node's active code version). */
    public static final String VERSION = "version";
    public static final String PORT = "port";
    public static final String WEB_NODES = "web";
    public static final String BACKENDS = "backends";
    public static final String MAX_BODY_SIZE = "maxBodySize";
    /** start_backend: the addresses allowed to reach the backend (the proxies). */
    public static final String PROXIES = "proxies";

    /** Fixed ports of the roles on every node (each node has its own address). */
    public static final int WEB_PORT = 8080;
    public static final int BACKEND_PORT = 9000;

    private WebOperations() {
    }
}
