package org.conpaas.core.internal.code;

import java.util.List;
import org.conpaas.api.model.CodeVersionInfo;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.service.CodeRepository;

/**
 * The code versions of every service, kept under the director's data folder and described in its database.
 * Services are named by their database id. Archives are checked when uploaded (type by content, no entry escaping
 * its folder, size and expansion limits); a refused upload leaves nothing behind.
 */
public interface CodeVersions {

    CodeVersionInfo upload(long serviceId, UploadedFile archive, String description);

    /** Stores a service type's own archive as the active version {@code code-default} of a new service. */
    CodeVersionInfo installDefault(long serviceId, UploadedFile archive);

    /** Newest first, the active one marked. */
    List<CodeVersionInfo> list(long serviceId);

    /** The original archive under its original file name; 404 for an unknown version. */
    UploadedFile download(long serviceId, String version);

    /** 409 for the active version, 404 for an unknown one. */
    void delete(long serviceId, String version);

    /** Marks a version active; 404 for an unknown one. */
    void activate(long serviceId, String version);

    /** The manager's view of one service's versions. */
    CodeRepository repository(long serviceId);

    /** Forgets every version of a removed service, files included. */
    void deleteAll(long serviceId);
}
