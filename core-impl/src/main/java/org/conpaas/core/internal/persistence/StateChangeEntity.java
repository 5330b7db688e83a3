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
import org.conpaas.api.State;

@Entity
@Table(name = "CPS_STATE_CHANGE")
public class StateChangeEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private long serviceId;

    @Column(nullable = false)
    private Instant time;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private State state;

    @Column(length = 2000)
    private String reason;

    protected StateChangeEntity() {
    }

    public StateChangeEntity(long serviceId, Instant time, State state, String reason) {
        this.serviceId = serviceId;
        this.time = time;
        this.state = state;
        this.reason = reason;
    }

    public long getId() {
        return id;
    }

    public Instant getTime() {
        return time;
    }

    public State getState() {
        return state;
    }

    public String getReason() {
        return reason;
    }
}
