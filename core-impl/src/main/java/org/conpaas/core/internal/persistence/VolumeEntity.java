package org.conpaas.core.internal.persistence;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Index;
import javax.persistence.Table;
import javax.persistence.UniqueConstraint;
import org.conpaas.api.model.VolumeInfo;

/** A volume of a service, attached to one of its nodes and mounted there. */
@Entity
@Table(name = "CPS_VOLUME",
        uniqueConstraints = @UniqueConstraint(columnNames = {"SERVICE_ID", "NAME"}),
        indexes = @Index(name = "CPS_VOLUME_SERVICE", columnList = "SERVICE_ID"))
public class VolumeEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    /** The database id of the service. */
    @Column(name = "SERVICE_ID", nullable = false)
    private long serviceId;

    @Column(name = "NAME", nullable = false, length = 64)
    private String name;

    @Column(nullable = false)
    private int sizeMb;

    /** The node id ({@code node-7}) the volume is attached to. */
    @Column(nullable = false, length = 64)
    private String nodeId;

    @Column(nullable = false, length = 255)
    private String cloud;

    /** The cloud's own id of the volume. */
    @Column(nullable = false, length = 255)
    private String cloudVolumeId;

    /** Where the node mounted it. */
    @Column(nullable = false, length = 1024)
    private String path;

    @Column(nullable = false)
    private Instant created;

    protected VolumeEntity() {
    }

    public VolumeEntity(long serviceId, String name, int sizeMb, String nodeId, String cloud, String cloudVolumeId,
            String path, Instant created) {
        this.serviceId = serviceId;
        this.name = name;
        this.sizeMb = sizeMb;
        this.nodeId = nodeId;
        this.cloud = cloud;
        this.cloudVolumeId = cloudVolumeId;
        this.path = path;
        this.created = created;
    }

    public VolumeInfo info() {
        return new VolumeInfo(name, sizeMb, nodeId, cloud, path, created);
    }

    public Long getId() {
        return id;
    }

    public long getServiceId() {
        return serviceId;
    }

    public String getName() {
        return name;
    }

    public String getNodeId() {
        return nodeId;
    }

    public String getCloud() {
        return cloud;
    }

    public String getCloudVolumeId() {
        return cloudVolumeId;
    }
}
