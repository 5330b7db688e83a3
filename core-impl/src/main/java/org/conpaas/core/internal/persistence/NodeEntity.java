package org.conpaas.core.internal.persistence;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import org.conpaas.api.model.NodeStatus;

@Entity
@Table(name = "CPS_NODE")
public class NodeEntity {

    public static final int MACHINE_LENGTH = 512;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private long applicationId;

    /** The database id of the service (not its number). */
    @Column(nullable = false)
    private long serviceId;

    @Column(nullable = false, length = 64)
    private String role;

    @Column(nullable = false, length = 128)
    private String cloud;

    @Column(length = 255)
    private String vmId;

    @Column(length = 255)
    private String address;

    private int port;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private NodeStatus status;

    @Column(length = 2000)
    private String statusReason;

    @Column(nullable = false)
    private Instant created;

    /** The end of the last period charged for this node (credits); null until its first charge. */
    private Instant chargedUntil;

    /** The code version the node serves (its agent's active version); null before it got any. */
    @Column(length = 128)
    private String codeVersion;

    /** What the cloud said about the machine when it launched it (limits, process, instance); may be null. */
    @Column(length = MACHINE_LENGTH)
    private String machine;

    protected NodeEntity() {
    }

    public NodeEntity(long applicationId, long serviceId, String role, String cloud, int port, Instant created) {
        this.applicationId = applicationId;
        this.serviceId = serviceId;
        this.role = role;
        this.cloud = cloud;
        this.port = port;
        this.status = NodeStatus.LAUNCHING;
        this.created = created;
    }

    /** The node id users and agents see. */
    public String getNodeId() {
        return "node-" + id;
    }

    public long getId() {
        return id;
    }

    public long getApplicationId() {
        return applicationId;
    }

    public long getServiceId() {
        return serviceId;
    }

    public String getRole() {
        return role;
    }

    public String getCloud() {
        return cloud;
    }

    public String getVmId() {
        return vmId;
    }

    public void setVmId(String vmId) {
        this.vmId = vmId;
    }

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    /** The agent's port, as the cloud reported it once the node was launched. */
    public void setPort(int port) {
        this.port = port;
    }

    public int getPort() {
        return port;
    }

    public NodeStatus getStatus() {
        return status;
    }

    public String getStatusReason() {
        return statusReason;
    }

    public void setStatus(NodeStatus status, String reason) {
        this.status = status;
        this.statusReason = reason;
    }

    public String getMachine() {
        return machine;
    }

    /** Kept to {@value #MACHINE_LENGTH} characters: it is the cloud's text, not ours. */
    public void setMachine(String machine) {
        this.machine = machine == null || machine.length() <= MACHINE_LENGTH ? machine
                : machine.substring(0, MACHINE_LENGTH - 1) + "…";
    }

    public Instant getCreated() {
        return created;
    }

    public Instant getChargedUntil() {
        return chargedUntil;
    }

    public void setChargedUntil(Instant chargedUntil) {
        this.chargedUntil = chargedUntil;
    }

    public String getCodeVersion() {
        return codeVersion;
    }

    public void setCodeVersion(String codeVersion) {
        this.codeVersion = codeVersion;
    }
}
