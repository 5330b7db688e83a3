package org.conpaas.core.internal.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Lob;
import javax.persistence.Table;
import javax.persistence.UniqueConstraint;

/** One key of a service manager's persistent state. */
@Entity
@Table(name = "CPS_MANAGER_STATE", uniqueConstraints = @UniqueConstraint(columnNames = {"SERVICE_ID", "STATE_KEY"}))
public class ManagerStateEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "SERVICE_ID", nullable = false)
    private long serviceId;

    @Column(name = "STATE_KEY", nullable = false, length = 255)
    private String key;

    @Lob
    @Column(name = "STATE_VALUE", length = 16 * 1024 * 1024) // Derby's CLOB would otherwise hold 255 characters
    private String value;

    protected ManagerStateEntity() {
    }

    public ManagerStateEntity(long serviceId, String key, String value) {
        this.serviceId = serviceId;
        this.key = key;
        this.value = value;
    }

    public String getKey() {
        return key;
    }

    public String getValue() {
        return value;
    }

    public void setValue(String value) {
        this.value = value;
    }
}
