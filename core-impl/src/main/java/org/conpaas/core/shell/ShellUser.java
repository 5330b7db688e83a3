package org.conpaas.core.shell;

import org.apache.karaf.shell.support.ShellUtil;

/**
 * Who is logged in to the shell: the user principal of the session's JAAS subject (ssh and bin/client log in
 * through the realm; the local console runs as {@code karaf.local.user}, set to {@code admin} in
 * {@code etc/system.properties}).
 */
@FunctionalInterface
interface ShellUser {

    /** The logged-in user's name, or null outside a logged-in session. */
    String name();

    ShellUser SESSION = ShellUtil::getCurrentUserName;
}
