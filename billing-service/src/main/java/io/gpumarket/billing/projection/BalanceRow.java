package io.gpumarket.billing.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An account's balance: the sum of its ledger entries, in micro-dollars. */
@Entity
@Table(name = "balance")
public class BalanceRow extends PanacheEntityBase {
    @Id
    @Column(name = "account_id")
    public String accountId;
    public long micros;

    public static long of(String accountId) {
        BalanceRow b = findById(accountId);
        return b == null ? 0 : b.micros;
    }
}
