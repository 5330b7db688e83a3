package org.conpaas.core.internal.accounts;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import org.conpaas.api.model.UserInfo;

/**
 * A row of the user table. Rows are never removed: a deleted user keeps its row (without password, roles and
 * email) so that its name, the owner id of its objects and certificates, is never given to anyone else.
 */
@Entity
@Table(name = "CPS_USER")
public class UserEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 32)
    private String username;

    /**
     * Null only for the first administrator, who is made without one. A deleted user's address is replaced by
     * {@code deleted:<username>} (no '@', so never a valid address) to free it for a new account while the column
     * stays unique: Derby's unique index would not accept two nulls.
     */
    @Column(unique = true, length = 254)
    private String email;

    @Column(length = 255)
    private String firstName;

    @Column(length = 255)
    private String lastName;

    @Column(length = 255)
    private String affiliation;

    @Column(nullable = false)
    private long credit;

    /** Comma-separated, sorted. */
    @Column(nullable = false, length = 64)
    private String roles;

    /** A PHC string ({@code $argon2id$...}); null once deleted. */
    @Column(length = 255)
    private String passwordHash;

    @Column(nullable = false)
    private Instant created;

    @Column(nullable = false)
    private boolean deleted;

    protected UserEntity() {
    }

    public UserEntity(String username, String email, String firstName, String lastName, String affiliation,
            long credit, SortedSet<String> roles, String passwordHash, Instant created) {
        this.username = username;
        this.email = email;
        this.firstName = firstName;
        this.lastName = lastName;
        this.affiliation = affiliation;
        this.credit = credit;
        this.roles = String.join(",", roles);
        this.passwordHash = passwordHash;
        this.created = created;
    }

    public String getUsername() {
        return username;
    }

    public String getPasswordHash() {
        return passwordHash;
    }

    public void setPasswordHash(String passwordHash) {
        this.passwordHash = passwordHash;
    }

    public boolean isDeleted() {
        return deleted;
    }

    /** Soft delete: nothing left to log in with, the name stays taken. */
    public void markDeleted() {
        deleted = true;
        passwordHash = null;
        roles = "";
        email = "deleted:" + username;
    }

    public SortedSet<String> roles() {
        return roles.isEmpty() ? Collections.emptySortedSet()
                : Collections.unmodifiableSortedSet(new TreeSet<>(Arrays.asList(roles.split(","))));
    }

    public UserInfo info() {
        return new UserInfo(username, email, firstName, lastName, affiliation, credit, roles(), created);
    }
}
