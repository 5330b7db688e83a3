package org.conpaas.service.web.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.conpaas.api.agent.NodeEnvironment;

/**
 * Who the servers' workers run as. An agent running as root starts nginx and php-fpm masters as root (port 80) with
 * workers as an unprivileged account ({@code www-data}, or the node property {@value #USER_PROPERTY}); then the
 * workers must be able to reach the code: the node's work folder becomes traversable (not listable) by others and
 * the code readable. An agent running as any other user runs everything as itself and changes no permission.
 */
public final class ServerAccount {

    public static final String USER_PROPERTY = "web.workerUser";
    static final String DEFAULT_WORKER_USER = "www-data";

    private final boolean root;
    private final String workerUser;

    ServerAccount(boolean root, String workerUser) {
        this.root = root;
        this.workerUser = workerUser;
    }

    public static ServerAccount of(NodeEnvironment environment) {
        return new ServerAccount(runningAsRoot(),
                environment.properties().getOrDefault(USER_PROPERTY, DEFAULT_WORKER_USER));
    }

    public boolean root() {
        return root;
    }

    /** The user the workers switch to; empty when the agent is not root (they run as the agent's user). */
    public Optional<String> workerUser() {
        return root ? Optional.of(workerUser) : Optional.empty();
    }

    /**
     * Lets the workers reach files below {@code folder}: as root, every folder from the file system root down to it
     * gets the others' execute bit checked (the node's own folders get it added; a folder above the node's work
     * folder that lacks it is reported, because changing it is not the plug-in's business).
     */
    public void makeTraversable(Path workDir, Path folder) throws IOException {
        if (!root) {
            return;
        }
        Path work = workDir.toAbsolutePath().normalize();
        for (Path p = work.getParent(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IllegalStateException("the workers run as " + workerUser + " and cannot reach " + p
                        + " (it lacks the others' execute permission)");
            }
        }
        for (Path p = folder.toAbsolutePath().normalize(); p != null && p.startsWith(work); p = p.getParent()) {
            addOthers(p, PosixFilePermission.OTHERS_EXECUTE);
        }
    }

    /** As root, makes a tree readable by the workers (o+r on files, o+rx on folders); links are left alone. */
    public void makeReadable(Path tree) throws IOException {
        if (!root) {
            return;
        }
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path p : walk.toList()) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                addOthers(p, PosixFilePermission.OTHERS_READ);
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    addOthers(p, PosixFilePermission.OTHERS_EXECUTE);
                }
            }
        }
    }

    /**
     * As root, gives a tree to the workers' user: what a server running as that user writes (Tomcat's work, temporary
     * and log folders). Nothing happens otherwise.
     */
    public void giveToWorkers(Path tree) throws IOException {
        if (!root) {
            return;
        }
        UserPrincipal user = tree.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(workerUser);
        GroupPrincipal group = tree.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByGroupName(workerUser);
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path p : walk.toList()) {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                view.setOwner(user);
                view.setGroup(group);
            }
        }
    }

    private static void addOthers(Path path, PosixFilePermission permission) throws IOException {
        Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(path,
                LinkOption.NOFOLLOW_LINKS));
        if (permissions.add(permission)) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    /** The effective user of this JVM, from the kernel rather than from the user name. */
    static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
