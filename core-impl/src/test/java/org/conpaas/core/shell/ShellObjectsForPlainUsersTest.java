package org.conpaas.core.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.security.PrivilegedAction;
import java.util.List;
import java.util.Map;

import javax.security.auth.Subject;

import org.apache.felix.service.command.Converter;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.junit.Test;

/** A plain user's shell shows objects by toString(): no getter of theirs runs. */
public class ShellObjectsForPlainUsersTest {

    private final ShellObjectsForPlainUsers converter = new ShellObjectsForPlainUsers();

    /** Stands for the BundleContext: a getter that must not run for a plain user. */
    public static final class Context {
        boolean bundlesListed;

        public List<String> getBundles() {
            bundlesListed = true;
            return List.of("org.conpaas.core");
        }

        @Override
        public String toString() {
            return "a context";
        }
    }

    private static <T> T as(String user, List<String> roles, PrivilegedAction<T> action) {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(user));
        roles.forEach(role -> subject.getPrincipals().add(new RolePrincipal(role)));
        return Subject.doAs(subject, action);
    }

    @Test
    public void aPlainUserSeesAnObjectsToStringOnly() {
        Context context = new Context();
        CharSequence shown = as("alice", List.of("user", "ssh"),
                () -> converter.format(context, Converter.INSPECT, null));
        assertEquals("a context", shown.toString());
        assertFalse(context.bundlesListed);
    }

    @Test
    public void administratorsAndPlainDataKeepGogosFormatting() {
        Context context = new Context();
        assertNull(as("admin", List.of("user", "ssh", "admin"),
                () -> converter.format(context, Converter.INSPECT, null)));
        for (Object data : List.of("text", 42, true, List.of(context), Map.of("k", context), new Object[] {context})) {
            assertNull(data.toString(), as("alice", List.of("user"),
                    () -> converter.format(data, Converter.INSPECT, null)));
        }
        // other levels are toString() in Gogo already
        assertNull(as("alice", List.of("user"), () -> converter.format(context, Converter.LINE, null)));
        assertFalse(context.bundlesListed);
        // outside any login (no subject) nobody is an administrator
        assertEquals("a context", converter.format(context, Converter.INSPECT, null).toString());
        assertTrue(ShellObjectsForPlainUsers.isPlainData(null));
        assertNull(converter.convert(String.class, context));
    }
}
