package org.conpaas.cloud.lxc;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The host uids and gids one node's container runs as: ids 0-65535 inside are {@code base}-{@code base + 65535} on
 * the host ({@code lxc.idmap}), so root inside is an unprivileged account outside. Every node has a range of its own
 * (the k-th address of the cloud's range gets the k-th range after {@code idmapBase}): nodes of different tenants
 * are different accounts to the host and to each other's files. Ranges start at multiples of 65536, so the range
 * a file belongs to is its owner rounded down to one.
 */
record IdRange(long base) {

    /** The ids of one container: a 16-bit uid space, like a machine's. */
    static final long SIZE = 65536;

    IdRange {
        if (base < 0 || base % SIZE != 0) {
            throw new IllegalArgumentException("an id range starts at a multiple of " + SIZE + ", not " + base);
        }
    }

    /** The host's own ids (0-65535): what the busybox template and a fresh file system are made with. */
    static final IdRange HOST = new IdRange(0);

    /** The range of the node at {@code slot} (its address's place in the cloud's address range). */
    static IdRange forSlot(long idmapBase, long slot) {
        return new IdRange(idmapBase + slot * SIZE);
    }

    /** The range a host id lies in. */
    static IdRange of(long hostId) {
        return new IdRange(hostId - hostId % SIZE);
    }

    /** Root inside, on the host. */
    long root() {
        return base;
    }

    /** The lines of a container's configuration that make the mapping. */
    String lxcIdmap() {
        return "lxc.idmap = u 0 " + base + " " + SIZE + "\nlxc.idmap = g 0 " + base + " " + SIZE + "\n";
    }

    /**
     * Moves the owners of a tree from range {@code from} to this one, id for id (the container's www-data stays its
     * www-data), on the tree's own file system only (mounts below it are someone else's) and never through links.
     * Ids outside {@code from} are left as they are. chown takes set-uid bits off, so the mode is put back: the
     * template's busybox is set-uid root (inside). Idempotent, so a hard link seen twice is no harm.
     */
    void takeOver(Path tree, IdRange from) throws IOException {
        if (from.equals(this)) {
            return;
        }
        Object device = Files.getAttribute(tree, "unix:dev", LinkOption.NOFOLLOW_LINKS);
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (!device.equals(Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                move(dir, from);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                move(file, from);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void move(Path path, IdRange from) throws IOException {
        int uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int gid = (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        boolean link = Files.isSymbolicLink(path);
        int mode = link ? 0 : (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        boolean changed = false;
        if (from.holds(uid)) {
            Files.setAttribute(path, "unix:uid", Math.toIntExact(base + from.inside(uid)), LinkOption.NOFOLLOW_LINKS);
            changed = true;
        }
        if (from.holds(gid)) {
            Files.setAttribute(path, "unix:gid", Math.toIntExact(base + from.inside(gid)), LinkOption.NOFOLLOW_LINKS);
            changed = true;
        }
        if (changed && !link && (mode & 06000) != 0) {
            Files.setAttribute(path, "unix:mode", mode & 07777);
        }
    }

    /** Whether a host id (as Java reads it: an int, negative above 2^31) is in this range. */
    boolean holds(int hostId) {
        long id = Integer.toUnsignedLong(hostId);
        return id >= base && id < base + SIZE;
    }

    private long inside(int hostId) {
        return Integer.toUnsignedLong(hostId) - base;
    }

    @Override
    public String toString() {
        return base + "-" + (base + SIZE - 1);
    }
}
