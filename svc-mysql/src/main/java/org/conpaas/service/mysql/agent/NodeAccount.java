package org.conpaas.service.mysql.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Who mariadbd runs as. On the local cloud (and any agent that is not root) it runs as the agent's own account, the
 * node's. An agent running as root starts it as Debian's {@code mysql} account, because mariadbd refuses root; then
 * that account must own what mariadbd writes.
 */
final class NodeAccount {

    static final String MYSQL_ACCOUNT = "mysql";

    private final boolean root;

    NodeAccount(boolean root) {
        this.root = root;
    }

    static NodeAccount current() {
        boolean root;
        try {
            root = Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            root = "root".equals(System.getProperty("user.name"));
        }
        return new NodeAccount(root);
    }

    Optional<String> mysqlUser() {
        return root ? Optional.of(MYSQL_ACCOUNT) : Optional.empty();
    }

    /** As root: {@code home} itself and the trees of {@code paths} become the mysql account's. Nothing otherwise. */
    void giveToMysql(Path home, List<Path> paths) throws IOException {
        if (!root) {
            return;
        }
        UserPrincipalLookupService lookup = home.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName(MYSQL_ACCOUNT);
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(MYSQL_ACCOUNT);
        own(home, user, group);
        for (Path path : paths) {
            try (Stream<Path> walk = Files.walk(path)) {
                for (Path p : walk.toList()) {
                    own(p, user, group);
                }
            }
        }
    }

    private static void own(Path path, UserPrincipal user, GroupPrincipal group) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        view.setOwner(user);
        view.setGroup(group);
    }
}
