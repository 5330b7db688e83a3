package org.conpaas.core.internal.code;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import javax.persistence.EntityManager;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.conpaas.api.ConflictException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.model.CodeVersionInfo;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.service.CodeRepository;
import org.conpaas.core.internal.persistence.Transactions;
import org.conpaas.service.support.archive.ArchiveLimits;
import org.conpaas.service.support.archive.ArchiveType;
import org.conpaas.service.support.archive.SafeArchives;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Code versions in the database ({@link CodeVersionEntity}) with their original archives in
 * {@code <base>/<serviceId>/<versionId>/archive}. An upload is checked completely by {@link SafeArchives} before
 * anything is written; the file is in place before its row commits, and removed again if the row cannot be.
 * Agents read tar, tar.gz and zip only, so a tar.bz2 is also kept re-compressed as {@code for-agents.tar.gz}, made
 * once on upload: managers push that, downloads still give the original.
 */
@Component(service = CodeVersions.class, configurationPid = "org.conpaas.director")
public class CodeVersionStore implements CodeVersions {
    /** The director reads tar.bz2 uploads (several concatenated streams too, as bzip2 and tar accept). */
    static final SafeArchives.Decompressor BZIP2 = in -> new BZip2CompressorInputStream(in, true);

    /** The id of the version a service type ships (ConPaaS' code-default). */
    public static final String DEFAULT_VERSION = "code-default";

    private static final Logger LOG = LoggerFactory.getLogger(CodeVersionStore.class);
    private static final String ARCHIVE = "archive";
    private static final String FOR_AGENTS = "for-agents.tar.gz";
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int MAX_DESCRIPTION = 2000;
    private static final int MAX_FILE_NAME = 255;

    private final Transactions tx;
    private final Path base;
    /** Changed live by {@link #modified}: an upload is checked against the limits of the moment it arrives. */
    private volatile ArchiveLimits limits;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    @Activate
    public CodeVersionStore(@Reference Transactions tx, CodeConfig config) {
        this(tx, dataDir(config).resolve("code"), limits(config), Clock.systemUTC());
    }

    private static ArchiveLimits limits(CodeConfig config) {
        return ArchiveLimits.ofMegabytes(config.maxArchiveMb(), config.maxExpandedMb(), config.maxEntries());
    }

    /**
     * The limits apply from the next upload on. The folder stays until the director restarts: the stored versions
     * are in it, and moving them under running services is not this component's call.
     */
    @Modified
    void modified(CodeConfig config) {
        ArchiveLimits next = limits(config);
        if (!next.equals(limits)) {
            LOG.info("code archive limits changed to {}", next);
            limits = next;
        }
        if (!dataDir(config).resolve("code").equals(base)) {
            LOG.warn("dataDir changed to {}: code versions stay in {} until the director restarts",
                    dataDir(config), base);
        }
    }

    /** The limits uploads are checked against now. */
    public ArchiveLimits limits() {
        return limits;
    }

    public CodeVersionStore(Transactions tx, Path base, ArchiveLimits limits, Clock clock) {
        this.tx = tx;
        this.base = base;
        this.limits = limits;
        this.clock = clock;
    }

    private static Path dataDir(CodeConfig config) {
        return config.dataDir().isBlank()
                ? Paths.get(System.getProperty("karaf.data", "data"), "conpaas")
                : Paths.get(config.dataDir());
    }

    @Override
    public CodeVersionInfo upload(long serviceId, UploadedFile archive, String description) {
        if (archive == null || archive.path() == null) {
            throw new InvalidInputException(SafeArchives.PARAMETER, "a code archive is required");
        }
        String text = description == null || description.isBlank() ? null : description.strip();
        if (text != null && text.length() > MAX_DESCRIPTION) {
            throw new InvalidInputException("description", "the description is longer than " + MAX_DESCRIPTION
                    + " characters");
        }
        return store(serviceId, newVersionId(serviceId), archive, text);
    }

    @Override
    public CodeVersionInfo installDefault(long serviceId, UploadedFile archive) {
        store(serviceId, DEFAULT_VERSION, archive, "the service type's default code");
        activate(serviceId, DEFAULT_VERSION);
        return tx.call(em -> find(em, serviceId, DEFAULT_VERSION).toInfo());
    }

    /** Checks the archive, then stores the file and its row; a refusal or failure leaves nothing behind. */
    private CodeVersionInfo store(long serviceId, String versionId, UploadedFile archive, String text) {
        SafeArchives.Checked checked = SafeArchives.inspect(archive.path(), limits, BZIP2);
        ArchiveType type = checked.type();
        String fileName = fileName(archive.fileName(), type);
        long size = size(archive.path());
        Path folder = folder(serviceId, versionId);
        try {
            Files.createDirectories(folder);
            Path temporary = folder.resolve(ARCHIVE + ".part");
            Files.copy(archive.path(), temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, folder.resolve(ARCHIVE), StandardCopyOption.ATOMIC_MOVE);
            if (type == ArchiveType.TAR_BZ2) {
                regzip(folder.resolve(ARCHIVE), checked.tarBytes(), folder.resolve(FOR_AGENTS));
            }
            CodeVersionEntity stored = tx.call(em -> {
                CodeVersionEntity entity = new CodeVersionEntity(serviceId, versionId, fileName, text, size,
                        clock.instant(), type);
                em.persist(entity);
                return entity;
            });
            LOG.info("service {}: stored code version {} ({}, {} bytes, {})", serviceId, versionId, fileName, size,
                    type.label());
            return stored.toInfo();
        } catch (IOException e) {
            deleteTree(folder);
            throw new UncheckedIOException("cannot store the code archive", e);
        } catch (RuntimeException e) {
            deleteTree(folder);
            throw e;
        }
    }

    @Override
    public List<CodeVersionInfo> list(long serviceId) {
        return tx.call(em -> versions(em, serviceId).stream().map(CodeVersionEntity::toInfo).toList());
    }

    @Override
    public UploadedFile download(long serviceId, String version) {
        CodeVersionEntity entity = tx.call(em -> find(em, serviceId, version));
        Path file = folder(serviceId, entity.getVersionId()).resolve(ARCHIVE);
        if (!Files.isRegularFile(file)) {
            throw new NotFoundException("the archive of code version " + version + " is missing");
        }
        return new UploadedFile("file", entity.getFileName(), file);
    }

    @Override
    public void delete(long serviceId, String version) {
        tx.run(em -> {
            CodeVersionEntity entity = find(em, serviceId, version);
            if (entity.isActive()) {
                throw new ConflictException("code version " + version + " is active; activate another one first");
            }
            em.remove(entity);
        });
        deleteTree(folder(serviceId, version));
    }

    @Override
    public void activate(long serviceId, String version) {
        tx.run(em -> {
            CodeVersionEntity chosen = find(em, serviceId, version);
            for (CodeVersionEntity entity : versions(em, serviceId)) {
                entity.setActive(entity == chosen);
            }
        });
    }

    @Override
    public CodeRepository repository(long serviceId) {
        return new CodeRepository() {
            @Override
            public List<CodeVersionInfo> versions() {
                return list(serviceId);
            }

            @Override
            public Optional<CodeVersionInfo> active() {
                return list(serviceId).stream().filter(CodeVersionInfo::active).findFirst();
            }

            @Override
            public Path archive(String versionId) {
                return forAgents(serviceId, versionId);
            }
        };
    }

    /** The file to push to agents: the original, or its tar.gz form when agents cannot read the original. */
    Path forAgents(long serviceId, String version) {
        CodeVersionEntity entity = tx.call(em -> find(em, serviceId, version));
        if (!ArchiveType.TAR_BZ2.label().equals(entity.getArchiveType())) {
            return download(serviceId, version).path();
        }
        Path file = folder(serviceId, entity.getVersionId()).resolve(FOR_AGENTS);
        if (!Files.isRegularFile(file)) {
            throw new NotFoundException("the agents' copy of code version " + version + " is missing");
        }
        return file;
    }

    /**
     * The tar inside a checked tar.bz2, gzip-compressed; written aside and renamed so it is never half there. Only
     * the checked part is copied (whatever follows the end-of-archive block could be a bomb nobody counted), closed
     * with the second zero block tar writes.
     */
    private static void regzip(Path bzip2, long tarBytes, Path target) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".part");
        try (InputStream tar = SafeArchives.decompress(bzip2, BZIP2);
                OutputStream out = new GZIPOutputStream(Files.newOutputStream(temporary), 64 * 1024)) {
            byte[] buffer = new byte[64 * 1024];
            for (long left = tarBytes; left > 0; ) {
                int read = tar.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (read < 0) {
                    throw new IOException("the bzip2 data ended before the checked tar did");
                }
                out.write(buffer, 0, read);
                left -= read;
            }
            out.write(new byte[SafeArchives.TAR_BLOCK]);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void deleteAll(long serviceId) {
        tx.run(em -> em.createQuery("delete from CodeVersionEntity v where v.serviceId = :s")
                .setParameter("s", serviceId).executeUpdate());
        deleteTree(base.resolve(String.valueOf(serviceId)));
    }

    private static List<CodeVersionEntity> versions(EntityManager em, long serviceId) {
        return em.createQuery("select v from CodeVersionEntity v where v.serviceId = :s "
                + "order by v.uploaded desc, v.id desc", CodeVersionEntity.class)
                .setParameter("s", serviceId).getResultList();
    }

    private static CodeVersionEntity find(EntityManager em, long serviceId, String version) {
        return em.createQuery("select v from CodeVersionEntity v where v.serviceId = :s and v.versionId = :v",
                CodeVersionEntity.class).setParameter("s", serviceId).setParameter("v", version)
                .getResultStream().findFirst()
                .orElseThrow(() -> new NotFoundException("code version " + version + " not found"));
    }

    private String newVersionId(long serviceId) {
        while (true) {
            StringBuilder id = new StringBuilder("code-");
            for (int i = 0; i < 6; i++) {
                id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
            }
            String candidate = id.toString();
            boolean taken = tx.call(em -> em.createQuery("select count(v) from CodeVersionEntity v "
                    + "where v.serviceId = :s and v.versionId = :v", Long.class).setParameter("s", serviceId)
                    .setParameter("v", candidate).getSingleResult()) > 0;
            if (!taken && !Files.exists(folder(serviceId, candidate))) {
                return candidate;
            }
        }
    }

    /** Version ids are looked up in the database before they name a folder, except our own fresh ones. */
    private Path folder(long serviceId, String versionId) {
        return base.resolve(String.valueOf(serviceId)).resolve(versionId);
    }

    /** The last component of what the client sent (browsers may send a path), without control characters. */
    static String fileName(String original, ArchiveType type) {
        String name = original == null ? "" : original;
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        name = name.replaceAll("\\p{Cntrl}", "").strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            name = "code." + type.label();
        }
        return name.length() > MAX_FILE_NAME ? name.substring(name.length() - MAX_FILE_NAME) : name;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded archive", e);
        }
    }

    private static void deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.warn("cannot delete {}", path, e);
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot delete {}", folder, e);
        }
    }
}
