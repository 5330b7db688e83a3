package org.conpaas.core.internal.persistence;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.EntityListeners;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.UniqueConstraint;
import org.conpaas.api.State;

@Entity
@EntityListeners(ApplicationRowChanges.class)
@Table(name = "CPS_APPLICATION", uniqueConstraints = @UniqueConstraint(columnNames = {"OWNER_ID", "NAME"}))
public class ApplicationEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "OWNER_ID", nullable = false, length = 128)
    private String ownerId;

    @Column(name = "NAME", nullable = false, length = 255)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private State state;

    @Column(nullable = false)
    private Instant created;

    /** Service numbers are never reused inside an application, so the counter lives here, not in a max() query. */
    @Column(nullable = false)
    private int lastServiceNumber;

    protected ApplicationEntity() {
    }

    public ApplicationEntity(String ownerId, String name, Instant created) {
        this.ownerId = ownerId;
        this.name = name;
        this.state = State.INIT;
        this.created = created;
    }

    public long getId() {
        return id;
    }

    public String getOwnerId() {
        return ownerId;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public State getState() {
        return state;
    }

    public void setState(State state) {
        this.state = state;
    }

    public Instant getCreated() {
        return created;
    }

    public int nextServiceNumber() {
        return ++lastServiceNumber;
    }
}
