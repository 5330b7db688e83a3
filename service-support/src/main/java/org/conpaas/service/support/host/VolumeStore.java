package org.conpaas.service.support.host;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.conpaas.api.InvalidInputException;

/**
 * The volumes {@code <dataDir>/volumes/<id>.img} (a sparse file of the volume's size, which the agent formats and
 * loop-mounts) with their records {@code <id>.properties}. The image is created first and exclusively, so an id is
 * never handed out twice while its volume exists.
 */
public final class VolumeStore {

    private static final Pattern VOLUME_ID = Pattern.compile("vol-[0-9a-f]{8}");
    private static final String RECORD = ".properties";
    private static final String IMAGE = ".img";
    private static final int MAX_SIZE_MB = 1024 * 1024;

    private final Path volumesDir;

    public VolumeStore(Path volumesDir) {
        this.volumesDir = volumesDir;
    }

    /** Only ids of our own shape are ever turned into paths, so a caller cannot point outside volumesDir. */
    public static boolean isVolumeId(String id) {
        return id != null && VOLUME_ID.matcher(id).matches();
    }

    public Path image(String id) {
        if (!isVolumeId(id)) {
            throw new IllegalArgumentException("not a volume id: " + id);
        }
        return volumesDir.resolve(id + IMAGE);
    }

    private Path record(String id) {
        return volumesDir.resolve(image(id).getFileName().toString().replace(IMAGE, RECORD));
    }

    /**
     * Checks a request for a new volume as every host cloud bounds it: a name of 1 to 255 printable characters, 1 MB
     * to 1 TB.
     */
    public static void checkRequest(String name, int sizeMb) {
        if (name == null || name.isBlank() || name.length() > 255 || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("name", "a volume name is 1 to 255 printable characters; got '" + name
                    + "'");
        }
        if (sizeMb < 1 || sizeMb > MAX_SIZE_MB) {
            throw new InvalidInputException("sizeMb", "a volume is 1 to " + MAX_SIZE_MB + " MB; got " + sizeMb);
        }
    }

    /** A new volume: its sparse image (no disk space is used until written) and its record. */
    public VolumeRecord create(String name, int sizeMb) throws IOException {
        Files.createDirectories(volumesDir);
        while (true) {
            String id = String.format("vol-%08x", ThreadLocalRandom.current().nextInt());
            try {
                FilePermissions.createPrivateFile(image(id));
            } catch (FileAlreadyExistsException taken) {
                continue; // 1 in 4 billion; draw again
            }
            try {
                try (RandomAccessFile file = new RandomAccessFile(image(id).toFile(), "rw")) {
                    file.setLength((long) sizeMb * 1024 * 1024);
                }
                VolumeRecord volume = new VolumeRecord(id, name, sizeMb, null);
                volume.write(record(id));
                return volume;
            } catch (IOException e) {
                delete(id);
                throw e;
            }
        }
    }

    public Optional<VolumeRecord> read(String id) {
        if (!isVolumeId(id) || !Files.exists(record(id))) {
            return Optional.empty();
        }
        try {
            return Optional.of(VolumeRecord.read(record(id)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void write(VolumeRecord volume) throws IOException {
        volume.write(record(volume.id()));
    }

    public List<VolumeRecord> all() throws IOException {
        List<VolumeRecord> volumes = new ArrayList<>();
        if (Files.isDirectory(volumesDir)) {
            try (DirectoryStream<Path> records = Files.newDirectoryStream(volumesDir, "vol-*" + RECORD)) {
                for (Path record : records) {
                    String name = record.getFileName().toString();
                    read(name.substring(0, name.length() - RECORD.length())).ifPresent(volumes::add);
                }
            }
        }
        return volumes;
    }

    /** Record first: a record never names a missing image, and an image without record is simply free space. */
    public void delete(String id) throws IOException {
        Files.deleteIfExists(record(id));
        Files.deleteIfExists(image(id));
    }
}
