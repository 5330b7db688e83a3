package org.conpaas.core.internal.credit;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Index;
import javax.persistence.Table;
import org.conpaas.api.model.Charge;

/**
 * One line of a user's credit ledger: a charge for a node period (negative amount) or credit an administrator
 * changed. Written in the same transaction as the credit change it records, so the ledger and the balance agree.
 */
@Entity
@Table(name = "CPS_CHARGE", indexes = @Index(name = "CPS_CHARGE_USER", columnList = "USERNAME"))
public class ChargeEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "USERNAME", nullable = false, length = 128)
    private String username;

    // TIME is a reserved word in Derby.
    @Column(name = "CHARGE_TIME", nullable = false)
    private Instant time;

    @Column(nullable = false)
    private long amount;

    /** The user's credit right after this entry. */
    @Column(name = "BALANCE_AFTER", nullable = false)
    private long balanceAfter;

    @Column(nullable = false, length = 2000)
    private String reason;

    @Column(length = 64)
    private String nodeId;

    private Long applicationId;

    /** The service number inside its application (the id users see). */
    private Integer serviceId;

    protected ChargeEntity() {
    }

    public ChargeEntity(String username, Instant time, long amount, long balanceAfter, String reason, String nodeId,
            Long applicationId, Integer serviceId) {
        this.username = username;
        this.time = time;
        this.amount = amount;
        this.balanceAfter = balanceAfter;
        this.reason = reason;
        this.nodeId = nodeId;
        this.applicationId = applicationId;
        this.serviceId = serviceId;
    }

    public long getId() {
        return id;
    }

    public String getUsername() {
        return username;
    }

    public Charge toCharge() {
        return new Charge(time, amount, balanceAfter, reason, nodeId, applicationId, serviceId);
    }
}
