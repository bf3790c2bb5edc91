package io.gpumarket.billing.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One ledger entry; {@code amount} is signed micro-dollars. */
@Entity
@Table(name = "ledger_entry")
public class LedgerEntryRow extends PanacheEntityBase {
    @Id
    @Column(name = "entry_id")
    public String entryId;
    @Column(name = "account_id")
    public String accountId;
    public String kind;
    public long amount;
    @Column(name = "instance_id")
    public String instanceId;
    @Column(name = "machine_id")
    public String machineId;
    public Instant at;
    @Column(name = "partition_")
    public int partition;
    @Column(name = "log_offset")
    public long logOffset;
}
