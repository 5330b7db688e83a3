package org.conpaas.core.shell;

import java.nio.file.Path;
import java.security.AccessController;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Map;

import javax.security.auth.Subject;

import org.apache.felix.service.command.Converter;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.osgi.service.component.annotations.Component;

/**
 * How the shell shows an object a plain user's line evaluates to. Gogo prints such a result "inspected": it calls
 * every public getter of the object, so typing {@code $.context} (the framework's BundleContext, a constant of every
 * session) would list the bundles without any command or method call that Karaf's ACLs could refuse. For a user
 * without the role {@code admin}, an object that is not plain data is shown by its {@code toString()} instead, which
 * calls nothing else (docs/decisions.md "Shell confinement"). Administrators keep Gogo's view. Karaf adds every
 * {@link Converter} service to the shell.
 */
@Component(service = Converter.class)
public class ShellObjectsForPlainUsers implements Converter {

    static final String ADMIN_ROLE = "admin";

    @Override
    public Object convert(Class<?> desiredType, Object in) {
        return null;    // converts nothing: arguments keep Gogo's and Karaf's conversions
    }

    @Override
    public CharSequence format(Object target, int level, Converter escape) {
        if (level != INSPECT || isPlainData(target) || currentUserIsAdministrator()) {
            return null;    // Gogo's own formatting: toString() for LINE and PART, element by element for data
        }
        return String.valueOf(target);
    }

    /** Values Gogo formats without calling any method of theirs but toString(); containers are formatted per element. */
    static boolean isPlainData(Object target) {
        return target == null || target instanceof CharSequence || target instanceof Number
                || target instanceof Boolean || target instanceof Character || target instanceof Enum
                || target instanceof Path || target instanceof Collection || target instanceof Map
                || target instanceof Dictionary || target.getClass().isArray();
    }

    /** The JAAS subject the shell runs the session's commands in (ssh, bin/client and the local console set it). */
    @SuppressWarnings("removal")
    static boolean currentUserIsAdministrator() {
        Subject subject = Subject.getSubject(AccessController.getContext());
        return subject != null && subject.getPrincipals(RolePrincipal.class).stream()
                .anyMatch(role -> ADMIN_ROLE.equals(role.getName()));
    }
}
