package io.gpumarket.billing.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An account as {@code gpumarket.accounts} says: identity, role, standing ({@code status} active or
 * suspended, since when, and when the low-balance warning went out); {@code version} counts the
 * events the API sequenced.
 */
@Entity
@Table(name = "account")
public class AccountRow extends PanacheEntityBase {
    @Id
    public String id;
    public String name;
    public String email;
    public String role;
    public long version;
    public String status;
    @Column(name = "suspended_at")
    public Instant suspendedAt;
    @Column(name = "low_balance_at")
    public Instant lowBalanceAt;
}
