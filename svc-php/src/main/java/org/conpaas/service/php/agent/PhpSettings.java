package org.conpaas.service.php.agent;

import java.util.Map;
import org.conpaas.service.php.PhpConfiguration;

/** The node's own check of the PHP settings it writes into php-fpm's configuration (one per line, no quoting). */
final class PhpSettings {

    private PhpSettings() {
    }

    static void check(Map<String, String> phpconf) {
        PhpConfiguration.validate(phpconf);
    }
}
