package org.conpaas.core.internal.bootstrap;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.conpaas.api.cloud.NodeLaunch;

/**
 * A node's user data: the complete {@code #!/bin/sh} script a node boots from, as cloud-init runs it on a real cloud
 * and the local cloud runs it itself. In order it writes the node's key store (certificate and key), the trust store
 * and the CA in PEM, the agent's configuration, runs the user's startup script, downloads the agent runtime from the
 * director over HTTPS with the node's one-time token (checking the director against the CA), unpacks it and starts
 * the agent. When the node's machine holds a shared installation of the same agent ({@code sharedAgentHome}, see
 * {@link SharedAgents}), the node starts that one instead and downloads nothing; without it (removed, or not visible
 * where the node runs) the script downloads as usual. The environment variables of {@link NodeLaunch} let a driver that runs the script place the node.
 * Everything given is embedded as base64, so no content can break out of the script.
 *
 * @param agentConfig  the agent configuration keys that do not depend on where the node runs
 * @param keyStore     the node's key store (PKCS#12)
 * @param trustStore   the trust store with the director's CA (PKCS#12)
 * @param caPem        the director's CA, PEM, to check the director's HTTPS certificate
 * @param agentUrl     where the node downloads the agent runtime
 * @param token        the node's one-time bootstrap token
 * @param startupScript the user's startup script, or null
 * @param sharedAgentHome a read-only agent installation ({@code …/conpaas-agent}) on the node's machine, or null
 */
public record UserData(String nodeId, Map<String, String> agentConfig, byte[] keyStore, byte[] trustStore,
        String storePassword, String caPem, URI agentUrl, String token, String startupScript,
        String sharedAgentHome) {

    /** The folder the runtime archive unpacks to. */
    public static final String AGENT_HOME = "conpaas-agent";
    /** The agent launcher inside the runtime archive. */
    public static final String AGENT_LAUNCHER = AGENT_HOME + "/bin/conpaas-agent";
    static final String DEFAULT_NODE_DIR = "/var/lib/conpaas-node";

    public UserData {
        agentConfig = Map.copyOf(agentConfig);
    }

    /** User data of a node that always downloads the agent. */
    public UserData(String nodeId, Map<String, String> agentConfig, byte[] keyStore, byte[] trustStore,
            String storePassword, String caPem, URI agentUrl, String token, String startupScript) {
        this(nodeId, agentConfig, keyStore, trustStore, storePassword, caPem, agentUrl, token, startupScript, null);
    }

    /** The script. */
    public String render() {
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n");
        s.append("# ConPaaS node ").append(safeComment(nodeId)).append(": its boot script, rendered by the director.\n");
        s.append("# Runs once (cloud-init user data, or the local cloud itself). Needs sh, base64, curl, tar, Java 17.\n");
        s.append("set -eu\n");
        s.append("umask 077\n");
        s.append("NODE_DIR=\"${").append(NodeLaunch.NODE_DIR_VARIABLE).append(":-").append(DEFAULT_NODE_DIR)
                .append("}\"\n");
        s.append("MEDIA_DIR=\"${").append(NodeLaunch.MEDIA_DIR_VARIABLE).append(":-$NODE_DIR/media}\"\n");
        s.append("AGENT_ADDRESS=\"${").append(NodeLaunch.AGENT_ADDRESS_VARIABLE).append(":-0.0.0.0}\"\n");
        s.append("AGENT_PORT=\"${").append(NodeLaunch.AGENT_PORT_VARIABLE).append(":-")
                .append(NodeLaunch.DEFAULT_AGENT_PORT).append("}\"\n");
        s.append("mkdir -p \"$NODE_DIR/logs\" \"$NODE_DIR/tmp\" \"$MEDIA_DIR\"\n");
        s.append("cd \"$NODE_DIR\"\n");
        file(s, "keystore.p12", keyStore);
        file(s, "truststore.p12", trustStore);
        file(s, "ca.pem", caPem.getBytes(StandardCharsets.US_ASCII));
        file(s, "agent.properties", properties());
        // What depends on where the node runs is known only here.
        s.append("{\n");
        s.append("  printf 'conpaas.agent.address=%s\\n' \"$AGENT_ADDRESS\"\n");
        s.append("  printf 'conpaas.agent.port=%s\\n' \"$AGENT_PORT\"\n");
        s.append("  printf 'conpaas.agent.workDir=%s\\n' \"$NODE_DIR\"\n");
        s.append("  printf 'conpaas.agent.mediaDir=%s\\n' \"$MEDIA_DIR\"\n");
        s.append("} >> agent.properties\n");
        if (startupScript != null && !startupScript.isBlank()) {
            file(s, "startup.sh", startupScript.getBytes(StandardCharsets.UTF_8));
            // As ConPaaS did on its VMs: the user's script first; its failure is logged, the node still starts.
            s.append("if command -v bash >/dev/null 2>&1; then STARTUP_SHELL=bash; else STARTUP_SHELL=sh; fi\n");
            s.append("status=0\n");
            s.append("\"$STARTUP_SHELL\" ./startup.sh >> logs/startup.log 2>&1 < /dev/null || status=$?\n");
            s.append("echo \"startup script exited with status $status\" >> logs/startup.log\n");
        }
        s.append("AGENT=./").append(AGENT_LAUNCHER).append("\n");
        if (sharedAgentHome != null) {
            s.append("if [ -x '").append(shellSafe(sharedAgentHome)).append("/bin/conpaas-agent' ]; then\n");
            s.append("  AGENT='").append(shellSafe(sharedAgentHome)).append("/bin/conpaas-agent'\n");
            s.append("else\n");
            download(s);
            s.append("fi\n");
        } else {
            download(s);
        }
        s.append("if [ \"${").append(NodeLaunch.FOREGROUND_VARIABLE).append(":-0}\" = 1 ]; then\n");
        s.append("  exec \"$AGENT\" \"$NODE_DIR/agent.properties\"\n");
        s.append("fi\n");
        s.append("nohup \"$AGENT\" \"$NODE_DIR/agent.properties\" >> logs/agent.out 2>&1 < /dev/null &\n");
        return s.toString();
    }

    /** The agent runtime from the director, with the node's one-time token. */
    private void download(StringBuilder s) {
        // The token goes to curl on its standard input, never on a command line others could read in ps.
        s.append("printf 'header = \"Authorization: Bearer %s\"\\n' '").append(shellSafe(token))
                .append("' | curl --config - --fail --silent --show-error --retry 10 --retry-connrefused "
                        + "--retry-delay 1 --max-time 600 --cacert ca.pem -o agent.tar.gz '")
                .append(shellSafe(agentUrl.toString())).append("'\n");
        s.append("tar -xzf agent.tar.gz --no-same-owner\n");
        s.append("rm -f agent.tar.gz\n");
        s.append("if [ ! -x ").append(AGENT_LAUNCHER).append(" ]; then\n");
        s.append("  echo \"the agent runtime from the director has no ").append(AGENT_LAUNCHER).append("\" >&2\n");
        s.append("  exit 1\n");
        s.append("fi\n");
    }

    private byte[] properties() {
        Map<String, String> config = new TreeMap<>(agentConfig);
        config.put("conpaas.agent.keystore", "keystore.p12");
        config.put("conpaas.agent.truststore", "truststore.p12");
        config.put("conpaas.agent.storePassword", storePassword == null ? "" : storePassword);
        StringBuilder text = new StringBuilder();
        config.forEach((k, v) -> text.append(escape(k, true)).append('=').append(escape(v, false)).append('\n'));
        return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Properties-file escaping: backslash, line ends, separators in keys, non-Latin-1 as \\uXXXX. */
    private static String escape(String text, boolean key) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '=', ':', ' ', '#', '!' -> out.append(key || (c == ' ' && out.isEmpty()) ? "\\" + c : c);
                default -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : c);
            }
        }
        return out.toString();
    }

    /** A heredoc of base64: the content never reaches the shell as code. */
    private static void file(StringBuilder s, String name, byte[] content) {
        s.append("base64 -d > ").append(name).append(" <<'CONPAAS_END'\n");
        s.append(Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(content == null ? new byte[0] : content));
        s.append("\nCONPAAS_END\n");
    }

    /** Token and URL are ours (base64url, a parsed URI), yet a single quote would end the quoting: refuse it. */
    private static String shellSafe(String value) {
        if (value.indexOf('\'') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a quote or line break cannot be put into the boot script");
        }
        return value;
    }

    private static String safeComment(String text) {
        return text.replaceAll("[^A-Za-z0-9._-]", "?");
    }
}
