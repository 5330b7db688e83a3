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

    /**
     * The archive as nodes get it (the core sends it; managers may read it, e.g. to check its kind): the upload
     * itself, or a tar.gz copy of a tar.bz2 (agents read tar, tar.gz and zip only).
     */
    Path archive(String versionId);
}
