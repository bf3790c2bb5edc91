package io.gpumarket.billing.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An account as {@code gpumarket.accounts} says; {@code version} counts its events. */
@Entity
@Table(name = "account")
public class AccountRow extends PanacheEntityBase {
    @Id
    public String id;
    public String name;
    public String email;
    public String role;
    public long version;
}
