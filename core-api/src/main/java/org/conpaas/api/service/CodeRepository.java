package org.conpaas.api.service;

import org.osgi.annotation.versioning.ProviderType;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.conpaas.api.model.CodeVersionInfo;

/** A service's code versions as its manager sees them; the archives were checked when they were uploaded. */
@ProviderType
public interface CodeRepository {

    /** Newest first. */
    List<CodeVersionInfo> versions();

    Optional<CodeVersionInfo> active();

    /** The original archive of a version, as uploaded (to push to agents). */
    Path archive(String versionId);
}
