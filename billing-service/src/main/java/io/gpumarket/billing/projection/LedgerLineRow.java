package io.gpumarket.billing.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One line of an account's ledger: the usage postings of one instance, kind and minute summed
 * ({@code entries} counts them), or one deposit or payout; {@code amount} is signed micro-dollars.
 */
@Entity
@Table(name = "ledger_line")
public class LedgerLineRow extends PanacheEntityBase {
    @Id
    @Column(name = "line_id")
    public String lineId;
    @Column(name = "account_id")
    public String accountId;
    public String kind;
    public Instant at;
    public long amount;
    public int entries;
    @Column(name = "instance_id")
    public String instanceId;
    @Column(name = "machine_id")
    public String machineId;
}
