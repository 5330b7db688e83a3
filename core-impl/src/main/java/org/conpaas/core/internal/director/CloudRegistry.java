package org.conpaas.core.internal.director;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.cloud.CloudDriver;
import org.conpaas.api.model.CloudInfo;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** The clouds configured now, by name. */
@Component(service = CloudRegistry.class, immediate = true)
public class CloudRegistry {
    /** The cloud used when a caller names none. */
    public static final String DEFAULT_CLOUD = "default";

    private final Map<String, CloudDriver> clouds = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void bindCloud(CloudDriver cloud) {
        clouds.put(cloud.name(), cloud);
    }

    public void unbindCloud(CloudDriver cloud) {
        clouds.remove(cloud.name(), cloud);
    }

    public Optional<CloudDriver> find(String name) {
        return Optional.ofNullable(clouds.get(name));
    }

    /** The named cloud, or the default one for null; a clear 400 for an unknown name. */
    public CloudDriver require(String name) {
        String wanted = name == null || name.isBlank() ? DEFAULT_CLOUD : name;
        return find(wanted).orElseThrow(() -> new InvalidInputException("cloud",
                "unknown cloud '" + wanted + "'; configured clouds: " + clouds.keySet()));
    }

    public List<CloudInfo> all() {
        return clouds.values().stream()
                .map(c -> new CloudInfo(c.name(), c.type(),
                        c.capabilities().stream().map(Enum::name).collect(java.util.stream.Collectors.toSet()),
                        c.unavailableReason()))
                .sorted(Comparator.comparing(CloudInfo::name))
                .toList();
    }
}
