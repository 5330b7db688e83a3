package org.conpaas.core.internal.persistence;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Lob;
import javax.persistence.Table;
import javax.persistence.UniqueConstraint;
import org.conpaas.api.State;

@Entity
@Table(name = "CPS_SERVICE", uniqueConstraints = @UniqueConstraint(columnNames = {"APPLICATION_ID", "NUMBER"}))
public class ServiceEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "APPLICATION_ID", nullable = false)
    private long applicationId;

    /** The id users see: 1, 2, 3… inside the application. */
    @Column(name = "NUMBER", nullable = false)
    private int number;

    @Column(nullable = false, length = 255)
    private String name;

    @Column(nullable = false, length = 64)
    private String type;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private State state;

    @Column(length = 2000)
    private String stateReason;

    @Column(length = 128)
    private String cloud;

    @Column(nullable = false)
    private Instant created;

    /**
     * Run on every node created afterwards, before its agent starts; null when there is none. The length: without it
     * Hibernate makes Derby's column CLOB(255), and a longer script failed with a rollback.
     */
    @Lob
    @Column(length = MAX_STARTUP_SCRIPT_CHARS) // without a length Hibernate makes Derby's CLOB 255 characters long
    private String startupScript;

    /** The longest startup script the column holds (the director's maxStartupScriptKb stays below it). */
    public static final int MAX_STARTUP_SCRIPT_CHARS = 1024 * 1024;

    @Column(length = 1024)
    private String url;

    /** Whether a failed node is replaced; null (rows from before the setting existed) means the default, on. */
    private Boolean replaceFailedNodes;

    protected ServiceEntity() {
    }

    public ServiceEntity(long applicationId, int number, String name, String type, Instant created) {
        this.applicationId = applicationId;
        this.number = number;
        this.name = name;
        this.type = type;
        this.state = State.INIT;
        this.created = created;
    }

    public long getId() {
        return id;
    }

    public long getApplicationId() {
        return applicationId;
    }

    public int getNumber() {
        return number;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getType() {
        return type;
    }

    public State getState() {
        return state;
    }

    public String getStateReason() {
        return stateReason;
    }

    public void setState(State state, String reason) {
        this.state = state;
        this.stateReason = reason;
    }

    public String getCloud() {
        return cloud;
    }

    public void setCloud(String cloud) {
        this.cloud = cloud;
    }

    public Instant getCreated() {
        return created;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getStartupScript() {
        return startupScript;
    }

    public void setStartupScript(String startupScript) {
        this.startupScript = startupScript;
    }

    public boolean isReplaceFailedNodes() {
        return replaceFailedNodes == null || replaceFailedNodes;
    }

    public void setReplaceFailedNodes(boolean replaceFailedNodes) {
        this.replaceFailedNodes = replaceFailedNodes;
    }
}
