package org.conpaas.core.internal.code;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Index;
import javax.persistence.Table;
import javax.persistence.UniqueConstraint;
import org.conpaas.api.model.CodeVersionInfo;
import org.conpaas.service.support.archive.ArchiveType;

/** One uploaded code version of a service; its archive lies in the version's folder. */
@Entity
@Table(name = "CPS_CODE_VERSION",
        uniqueConstraints = @UniqueConstraint(columnNames = {"SERVICE_ID", "VERSION_ID"}),
        indexes = @Index(name = "CPS_CODE_VERSION_SERVICE", columnList = "SERVICE_ID"))
public class CodeVersionEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    /** The database id of the service. */
    @Column(name = "SERVICE_ID", nullable = false)
    private long serviceId;

    @Column(name = "VERSION_ID", nullable = false, length = 32)
    private String versionId;

    @Column(nullable = false, length = 255)
    private String fileName;

    @Column(length = 2000)
    private String description;

    @Column(nullable = false)
    private long sizeBytes;

    @Column(nullable = false)
    private Instant uploaded;

    @Column(nullable = false, length = 16)
    private String archiveType;

    @Column(nullable = false)
    private boolean active;

    protected CodeVersionEntity() {
    }

    public CodeVersionEntity(long serviceId, String versionId, String fileName, String description, long sizeBytes,
            Instant uploaded, ArchiveType archiveType) {
        this.serviceId = serviceId;
        this.versionId = versionId;
        this.fileName = fileName;
        this.description = description;
        this.sizeBytes = sizeBytes;
        this.uploaded = uploaded;
        this.archiveType = archiveType.label();
    }

    public long getId() {
        return id;
    }

    public long getServiceId() {
        return serviceId;
    }

    public String getVersionId() {
        return versionId;
    }

    public String getFileName() {
        return fileName;
    }

    public String getArchiveType() {
        return archiveType;
    }

    public boolean isActive() {
        return active;
    }

    public void setActive(boolean active) {
        this.active = active;
    }

    public CodeVersionInfo toInfo() {
        return new CodeVersionInfo(versionId, fileName, description, sizeBytes, uploaded, active);
    }
}
