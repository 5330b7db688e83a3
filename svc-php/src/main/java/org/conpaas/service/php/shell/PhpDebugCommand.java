package org.conpaas.service.php.shell;

import java.util.Map;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.conpaas.service.support.shell.ServiceCommand;
import org.conpaas.api.InvalidInputException;
import org.conpaas.service.php.PhpServiceType;

/** {@code cps:php-debug <application> <service> on|off}: shows PHP errors in pages, or hides them again. */
@Service
@Command(scope = "cps", name = "php-debug", description = "Shows PHP errors in the pages of a PHP service (on) "
        + "or hides them (off, the default)")
public class PhpDebugCommand extends ServiceCommand {

    @Argument(index = 2, name = "mode", required = true, description = "on or off")
    String mode;

    @Override
    public Object execute() {
        String setting = switch (mode == null ? "" : mode.toLowerCase(java.util.Locale.ROOT)) {
            case "on" -> "On";
            case "off" -> "Off";
            default -> throw new InvalidInputException("mode", "mode must be on or off, not " + mode);
        };
        call(PhpServiceType.UPDATE_PHP_CONFIGURATION,
                Map.of(PhpServiceType.PHPCONF, Map.of("display_errors", setting)));
        System.out.println("PHP errors are now " + (setting.equals("On") ? "shown in pages" : "hidden") + ".");
        return null;
    }
}
