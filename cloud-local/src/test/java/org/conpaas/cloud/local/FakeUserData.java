package org.conpaas.cloud.local;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * User data shaped like the director's (files from the environment the driver sets, the startup script, then the
 * agent), with a fake agent instead of a download: sh and a python HTTP listener child serving the node's folder.
 */
final class FakeUserData {

    static final String FAKE_AGENT = """
            props="$1"
            value() { sed -n "s/^$1=//p" "$props"; }
            addr=$(value 'conpaas\\.agent\\.address')
            port=$(value 'conpaas\\.agent\\.port')
            work=$(value 'conpaas\\.agent\\.workDir')
            echo "JAVA_HOME=$JAVA_HOME"
            echo "AGENT_JAVA_OPTS=$AGENT_JAVA_OPTS"
            if [ -f startup-ran ]; then echo "startup script ran before the agent"; fi
            /usr/bin/python3 -m http.server --bind "$addr" --directory "$work" "$port" &
            echo $! > "$work/child.pid"
            wait
            """;

    private FakeUserData() {
    }

    static String of(Map<String, String> config, byte[] keyStore, byte[] trustStore, String storePassword,
            String startupScript) {
        StringBuilder s = new StringBuilder("#!/bin/sh\nset -eu\numask 077\n");
        s.append("NODE_DIR=\"${CONPAAS_NODE_DIR:-/var/lib/conpaas-node}\"\n");
        s.append("MEDIA_DIR=\"${CONPAAS_MEDIA_DIR:-$NODE_DIR/media}\"\n");
        s.append("cd \"$NODE_DIR\"\n");
        file(s, "keystore.p12", keyStore);
        file(s, "truststore.p12", trustStore);
        StringBuilder properties = new StringBuilder();
        new TreeMap<>(config).forEach((k, v) -> properties.append(k).append('=').append(v).append('\n'));
        properties.append("conpaas.agent.storePassword=").append(storePassword).append('\n');
        file(s, "agent.properties", properties.toString().getBytes(StandardCharsets.UTF_8));
        s.append("{\n");
        s.append("  echo \"conpaas.agent.address=$CONPAAS_AGENT_ADDRESS\"\n");
        s.append("  echo \"conpaas.agent.port=$CONPAAS_AGENT_PORT\"\n");
        s.append("  echo \"conpaas.agent.keystore=$NODE_DIR/keystore.p12\"\n");
        s.append("  echo \"conpaas.agent.truststore=$NODE_DIR/truststore.p12\"\n");
        s.append("  echo \"conpaas.agent.workDir=$NODE_DIR\"\n");
        s.append("  echo \"conpaas.agent.mediaDir=$MEDIA_DIR\"\n");
        s.append("} >> agent.properties\n");
        if (startupScript != null) {
            file(s, "startup.sh", startupScript.getBytes(StandardCharsets.UTF_8));
            s.append("status=0\nbash ./startup.sh >> logs/startup.log 2>&1 || status=$?\n");
            s.append("echo \"startup script exited with status $status\" >> logs/startup.log\n");
        }
        file(s, "fake-agent", FAKE_AGENT.getBytes(StandardCharsets.UTF_8));
        s.append("[ \"${CONPAAS_AGENT_FOREGROUND:-0}\" = 1 ] || exit 9\n");
        s.append("exec sh fake-agent \"$NODE_DIR/agent.properties\"\n");
        return s.toString();
    }

    private static void file(StringBuilder s, String name, byte[] content) {
        s.append("base64 -d > ").append(name).append(" <<'END'\n")
                .append(Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(content)).append("\nEND\n");
    }
}
