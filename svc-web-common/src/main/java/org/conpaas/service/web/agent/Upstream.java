package org.conpaas.service.web.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A server the proxy forwards to: address, port and load-balancing weight (1–1000, as nginx accepts). */
public record Upstream(String ip, int port, int weight) {

    public Upstream {
        if (ip == null || !ip.matches("[0-9A-Za-z.:-]+")) {
            throw new IllegalArgumentException("invalid upstream address " + ip);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid upstream port " + port);
        }
        if (weight < 1 || weight > 1000) {
            throw new IllegalArgumentException("upstream weight " + weight + " is not between 1 and 1000");
        }
    }

    /** Reads a list parameter of {@code {ip, port, weight?}} objects (weight 100 when absent). */
    public static List<Upstream> listOf(Object value, String parameter) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("parameter " + parameter + " must be a list of {ip, port, weight}");
        }
        List<Upstream> upstreams = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> map) || !(map.get("ip") instanceof String ip)
                    || !(map.get("port") instanceof Number port)) {
                throw new IllegalArgumentException("every entry of " + parameter + " must be {ip, port, weight}, not "
                        + item);
            }
            Object weight = map.get("weight");
            upstreams.add(new Upstream(ip, port.intValue(), weight instanceof Number w ? w.intValue() : 100));
        }
        return upstreams;
    }

    String server() {
        return ip + ":" + port + " weight=" + weight;
    }
}
