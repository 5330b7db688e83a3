package org.conpaas.service.php.agent;

import java.io.IOException;
import java.util.Map;
import org.conpaas.service.testing.LoopbackNodes;

/** The PHP agent tests' nodes (see LoopbackNodes) and their application. */
final class PhpNodes {

    static final int PROXY_PORT = 18080;

    /** A tiny application: a static file, a page naming the backend (its node folder: the code is in <node>/code/<version>), a session counter. */
    static final Map<String, String> APP = Map.of(
            "hello.txt", "hello static\n",
            "backend.php", "<?php echo 'served by ' . basename(dirname(__DIR__, 2));\n",
            "counter.php", "<?php session_start(); $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;\n"
                    + "echo 'count ' . $_SESSION['n'] . ' by ' . basename(dirname(__DIR__, 2));\n",
            "index.php", "<?php echo 'php index';\n",
            "docs/index.html", "static index\n",
            "broken.php", "<?php echo 'before'; undefined_function_xyz();\n");

    private PhpNodes() {
    }

    static LoopbackNodes<PhpAgentPlugin> start() throws IOException {
        return new LoopbackNodes<>("php", PhpAgentPlugin::new);
    }
}
