package org.conpaas.core.internal.director;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.conpaas.api.ConflictException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.model.CodeVersionInfo;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.service.CodeRepository;
import org.conpaas.core.internal.code.CodeVersions;

/** Version names per service, the last activated one active; no files (archives are names only). */
final class FakeCodeVersions implements CodeVersions {
    final Map<Long, List<String>> versions = new ConcurrentHashMap<>();
    final Map<Long, String> active = new ConcurrentHashMap<>();

    @Override
    public CodeVersionInfo upload(long serviceId, UploadedFile archive, String description) {
        List<String> list = versions.computeIfAbsent(serviceId, id -> new ArrayList<>());
        String id = "code-" + (list.size() + 1);
        list.add(id);
        return info(serviceId, id);
    }

    @Override
    public CodeVersionInfo installDefault(long serviceId, UploadedFile archive) {
        versions.computeIfAbsent(serviceId, id -> new ArrayList<>()).add("code-default");
        active.put(serviceId, "code-default");
        return info(serviceId, "code-default");
    }

    @Override
    public List<CodeVersionInfo> list(long serviceId) {
        return versions.getOrDefault(serviceId, List.of()).stream().map(id -> info(serviceId, id)).toList();
    }

    @Override
    public UploadedFile download(long serviceId, String version) {
        throw new NotFoundException(version);
    }

    @Override
    public void delete(long serviceId, String version) {
        if (version.equals(active.get(serviceId))) {
            throw new ConflictException("active");
        }
        versions.getOrDefault(serviceId, new ArrayList<>()).remove(version);
    }

    @Override
    public void activate(long serviceId, String version) {
        active.put(serviceId, version);
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
                return versions().stream().filter(CodeVersionInfo::active).findFirst();
            }

            @Override
            public Path archive(String versionId) {
                if (!versions.getOrDefault(serviceId, List.of()).contains(versionId)) {
                    throw new NotFoundException(versionId);
                }
                return Path.of(versionId + ".zip"); // the fake agents never read it
            }
        };
    }

    @Override
    public void deleteAll(long serviceId) {
        versions.remove(serviceId);
        active.remove(serviceId);
    }

    private CodeVersionInfo info(long serviceId, String id) {
        return new CodeVersionInfo(id, id + ".zip", null, 0, Instant.EPOCH, id.equals(active.get(serviceId)));
    }
}
