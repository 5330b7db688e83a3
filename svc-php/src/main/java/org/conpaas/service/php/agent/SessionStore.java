package org.conpaas.service.php.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.conpaas.api.agent.NodeEnvironment;
import org.conpaas.service.web.agent.Daemon;
import org.conpaas.service.web.agent.ServerAccount;

/** memcached holding the PHP sessions of every backend, on the node's address only. */
final class SessionStore {

    static final String BINARY = "memcached";

    private final NodeEnvironment environment;
    private final ServerAccount account;
    private final Daemon daemon;

    SessionStore(NodeEnvironment environment, ServerAccount account) {
        this.environment = environment;
        this.account = account;
        this.daemon = new Daemon(environment, "memcached", environment.logDir().resolve("memcached.out"));
    }

    boolean isRunning() {
        return daemon.isRunning();
    }

    /** What is wrong: started and died since. */
    Optional<String> problem() {
        return daemon.problem();
    }

    /** Starts memcached; one that runs already is left alone, so its sessions stay (the port is fixed). */
    void start(int port) {
        if (daemon.isRunning()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(BINARY, "-l", environment.address(), "-p",
                String.valueOf(port), "-U", "0", "-m", "64", "-c", "1024"));
        if (account.root()) {
            command.addAll(List.of("-u", "nobody")); // memcached refuses to run as root
        }
        daemon.start(command, environment.workDir(), environment.address(), port);
    }

    void stop() {
        daemon.stopGracefully("TERM");
    }
}
