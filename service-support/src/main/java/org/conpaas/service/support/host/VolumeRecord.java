package org.conpaas.service.support.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.conpaas.api.cloud.CloudVolume;

/** What the driver remembers about one volume, in {@code <volumesDir>/<id>.properties}; attachedTo is null while detached. */
public record VolumeRecord(String id, String name, int sizeMb, String attachedTo) {

    public VolumeRecord attachedTo(String vmId) {
        return new VolumeRecord(id, name, sizeMb, vmId);
    }

    public CloudVolume toCloudVolume(Path image) {
        return new CloudVolume(id, name, sizeMb, attachedTo, attachedTo == null ? null : image.toString());
    }

    public void write(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("id", id);
        values.put("name", name);
        values.put("sizeMb", Integer.toString(sizeMb));
        values.put("attachedTo", attachedTo == null ? "" : attachedTo);
        PropertiesFiles.write(file, values);
    }

    public static VolumeRecord read(Path file) throws IOException {
        Map<String, String> v = PropertiesFiles.read(file);
        try {
            String attachedTo = v.getOrDefault("attachedTo", "");
            return new VolumeRecord(v.get("id"), v.get("name"), Integer.parseInt(v.getOrDefault("sizeMb", "0")),
                    attachedTo.isEmpty() ? null : attachedTo);
        } catch (NumberFormatException e) {
            throw new IOException("corrupt " + file + ": " + e.getMessage(), e);
        }
    }
}
